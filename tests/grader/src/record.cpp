#include "papaya/grader/record.hpp"

#include <gtest/gtest.h>

namespace papaya::grader {

TestRecord& current_test()
{
    static TestRecord record;
    return record;
}

void reset_current_test() { current_test() = TestRecord{}; }

void declare_points(int points, std::string_view hint)
{
    auto& record = current_test();
    record.declared = true;
    record.points = points;
    record.hint = std::string(hint);
    ::testing::Test::RecordProperty("points", points);
    ::testing::Test::RecordProperty("hint", record.hint);
}

int step(std::string text)
{
    auto& steps = current_test().steps;
    steps.push_back(std::move(text));
    return static_cast<int>(steps.size());
}

} // namespace papaya::grader
