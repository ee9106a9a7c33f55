#pragma once
/// @file
/// @brief The fixture of lab 2's suite, shared by its test files.

#include "papaya/grader/grader.hpp"

namespace papaya::lab2 {

/// Lab 2's tests: the server started with --stage 2.
class Lab2 : public grader::StageTest {};

} // namespace papaya::lab2
