// Internal: the machinery of the request tables. A request type's table is a
// list of Option rows, each an OptionSpec (what the option is, for every front
// end's documentation) and how its checked value lands in the request.
// Adding an option is adding a row.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "caravan/request.h"

namespace caravan::request {

/// The fields an option received, in the order given (one for a single value).
using Values = std::vector<const RequestField*>;

/// What parsing may consult besides the fields.
struct Env {
  const Network& net;
  const RequestContext& ctx;
};

template <class R>
struct Option {
  OptionSpec spec;
  std::function<Status(R&, const Values&, const Env&)> apply;
};

/// `name: message`, with the option's name as the error's field.
Error option_error(const OptionSpec& s, std::string message, ErrorCode code = ErrorCode::kInvalidInput);
/// `name: bad value "text" (expected …)`.
Error bad_value(const OptionSpec& s, std::string_view text);

/// Avoided places and countries.
struct Avoid {
  std::vector<LocationIdx> places;
  std::vector<std::string> countries;  ///< ISO alpha-2
};

/// Readers: an option's values to a checked value. Single-valued options
/// read values.front(); list options read every value and split it on commas
/// (places: unless the value names a place as a whole), failing on an empty
/// item or more than s.max_items.
namespace read {
Result<std::uint64_t> count(const OptionSpec& s, const Values& v, const Env& env);
Result<double> number(const OptionSpec& s, const Values& v, const Env& env);
Result<Instant> instant(const OptionSpec& s, const Values& v, const Env& env);
Result<std::string_view> choice(const OptionSpec& s, const Values& v, const Env& env);  ///< the word of s.choices
Result<bool> flag(const OptionSpec& s, const Values& v, const Env& env);
Result<LocationIdx> place(const OptionSpec& s, const Values& v, const Env& env);
Result<std::vector<LocationIdx>> places(const OptionSpec& s, const Values& v, const Env& env);
Result<Avoid> avoid(const OptionSpec& s, const Values& v, const Env& env);
Result<ModeSet> modes(const OptionSpec& s, const Values& v, const Env& env);
Result<std::vector<std::string>> scenarios(const OptionSpec& s, const Values& v, const Env& env);
Result<std::vector<DemandRow>> demand(const OptionSpec& s, const Values& v, const Env& env);
}  // namespace read

/// The items of a list option: every value split on commas (and trimmed),
/// unless `whole(value)` says it is one item.
Result<std::vector<std::string>> split_items(const OptionSpec& s, const Values& values,
                                             const std::function<bool(const std::string&)>& whole);

/// A row: `read` checks the values, `set(request, value)` stores the result.
template <class R, class Read, class Set>
Option<R> row(OptionSpec s, Read read, Set set) {
  return {s, [s, read, set](R& r, const Values& v, const Env& env) -> Status {
            auto x = read(s, v, env);
            if (!x) return x.errors();
            set(r, std::move(*x));
            return {};
          }};
}

/// The next whole hour after `now`: the default departure.
Instant next_whole_hour(Instant now);

/// Checks names (unknown, local-only from a remote origin, repeats of a single
/// value, empty or non-UTF-8 text) and groups the fields by option, in the
/// order of `specs`. Missing required options fail too.
Result<std::vector<Values>> group_fields(std::span<const OptionSpec> specs, const RequestFields& fields,
                                         const RequestContext& ctx);

/// The specs of a table, for the public option lists.
template <class R>
std::vector<OptionSpec> specs_of(const std::vector<Option<R>>& table) {
  std::vector<OptionSpec> out;
  for (const Option<R>& o : table) out.push_back(o.spec);
  return out;
}

/// Applies every field to `out` (which holds the defaults), row by row.
template <class R>
Status apply_fields(const std::vector<Option<R>>& table, std::span<const OptionSpec> specs, const RequestFields& fields,
                    const Env& env, R& out) {
  auto grouped = group_fields(specs, fields, env.ctx);
  if (!grouped) return grouped.errors();
  for (std::size_t i = 0; i < table.size(); ++i) {
    if ((*grouped)[i].empty()) continue;
    Status st = table[i].apply(out, (*grouped)[i], env);
    if (!st.ok()) return st;
  }
  return {};
}

}  // namespace caravan::request
