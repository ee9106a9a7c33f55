#pragma once
/// @file
/// @brief The fixture of lab 0's suite, shared by its test files.

#include "papaya/grader/grader.hpp"

namespace papaya::lab0 {

/// Lab 0's tests: the server started with --stage 0.
class Lab0 : public grader::StageTest {};

} // namespace papaya::lab0
