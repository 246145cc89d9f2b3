// caravan/error.h — the one error type of the library.
//
// Errors are values: every operation that can fail on bad input (a data file,
// a place name, a query, a scenario) returns `Status` or `Result<T>`. No
// exception crosses the library API. Broken internal invariants are asserts.
//
// Messages are short, lowercase and exact. Data errors carry the input
// location and render as
//     links.csv:42: column to: unknown location "hamburg-n" (expected a location id)
//
// Thread safety: plain values; safe to copy and share between threads.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace caravan {

/// What went wrong, coarsely; front ends map it to exit codes or HTTP status.
enum class ErrorCode : std::uint8_t {
  kInvalidInput,  ///< malformed data, bad query or scenario (CLI exit 2, HTTP 400)
  kNotFound,      ///< unknown place, id or file (CLI exit 2, HTTP 404)
  kNoRoute,       ///< the query is valid but nothing satisfies it (CLI exit 1)
  kInternal,      ///< a bug or an environment failure (CLI exit 3, HTTP 500)
  kOverBudget,    ///< the work a request may do (labels, samples, events) ran out (CLI exit 2, HTTP 422)
  kDeadline,      ///< the request's deadline passed or it was cancelled (CLI exit 3, HTTP 503)
};

/// One problem, optionally tied to a place in an input file.
struct Error {
  ErrorCode code = ErrorCode::kInvalidInput;
  std::string message;     ///< e.g. `unknown location "x" (expected a location id)`
  std::string file;        ///< input file name, empty when not about a file
  std::uint32_t line = 0;  ///< 1-based line, 0 when unknown
  std::string column;      ///< column or field name, empty when unknown

  /// `file:line: column C: message`, dropping the parts that are empty.
  std::string to_string() const;

  static Error invalid(std::string message) { return {ErrorCode::kInvalidInput, std::move(message), {}, 0, {}}; }
  static Error not_found(std::string message) { return {ErrorCode::kNotFound, std::move(message), {}, 0, {}}; }
  static Error no_route(std::string message) { return {ErrorCode::kNoRoute, std::move(message), {}, 0, {}}; }
  static Error internal(std::string message) { return {ErrorCode::kInternal, std::move(message), {}, 0, {}}; }
  /// A data error at `file:line`, in `column`.
  static Error at(std::string file, std::uint32_t line, std::string column, std::string message) {
    return {ErrorCode::kInvalidInput, std::move(message), std::move(file), line, std::move(column)};
  }
};

/// Many problems at once: loaders report every problem in a file, not just the first.
using Errors = std::vector<Error>;

/// Renders all errors, one per line.
std::string to_string(const Errors& errors);

/// Success, or one or more errors. Costs one empty vector when OK.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) { errors_.push_back(std::move(e)); }  // NOLINT: implicit by design
  Status(Errors e) : errors_(std::move(e)) {}           // NOLINT

  bool ok() const { return errors_.empty(); }
  const Errors& errors() const { return errors_; }
  /// The first error; only valid when !ok().
  const Error& error() const {
    assert(!ok());
    return errors_.front();
  }
  std::string to_string() const { return caravan::to_string(errors_); }

 private:
  Errors errors_;
};

/// A value or the errors explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                                       // NOLINT: implicit by design
  Result(Error e) : v_(Errors{std::move(e)}) {}                                   // NOLINT
  Result(Errors e) : v_(std::move(e)) { assert(!std::get<Errors>(v_).empty()); }  // NOLINT
  Result(Status s) : Result(Errors(s.errors())) {}                                // NOLINT: from a failed Status

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Errors& errors() const {
    assert(!ok());
    return std::get<Errors>(v_);
  }
  const Error& error() const { return errors().front(); }
  Status status() const { return ok() ? Status() : Status(errors()); }

 private:
  std::variant<T, Errors> v_;
};

}  // namespace caravan
