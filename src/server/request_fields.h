// Internal: HTTP requests as request fields (caravan/request.h). Query
// parameters and JSON bodies become the name/value pairs every front end
// hands to the one parser, so the API has the CLI's names, defaults and limits.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "caravan/error.h"
#include "caravan/request.h"

namespace caravan::server {

/// Query parameters as they arrived, a name may repeat (httplib::Params).
using Params = std::multimap<std::string, std::string>;

/// The query string of a request target (`/v1/route?from=xian&via=a&via=b`)
/// as fields, every parameter in its order, repeats kept (httplib's parser
/// drops a repeated `name=value`, which would shorten a list of vias),
/// leaving out those named in `skip` (the server's own, such as `format`).
RequestFields query_fields(std::string_view target, std::initializer_list<std::string_view> skip = {});

/// A JSON body as fields: an object whose members are strings, numbers,
/// booleans, arrays of them (a field per item) or objects of scalars (a
/// structured item, e.g. a demand row), also inside arrays. Numbers keep the
/// text they were written with; null members are left out. Fails with field
/// `body` for malformed JSON or another shape, and names the member for a
/// number too large for a double (as invalid_value(`options`) does).
Result<RequestFields> json_fields(std::string_view body, std::span<const OptionSpec> options);

enum class ResponseFormat : std::uint8_t { kJson, kCsv };

/// The format of the answer: the `format` field (json or csv), taken out of
/// `fields`, else the Accept header: CSV when it prefers text/csv to
/// application/json, JSON otherwise. Fails with field `format` for another
/// format; nullopt when Accept admits neither (406).
Result<std::optional<ResponseFormat>> take_format(RequestFields& fields, std::string_view accept);

/// Parses a strictly positive decimal integer no larger than `max`.
Result<std::uint32_t> parse_count(std::string_view field, std::string_view text, std::uint32_t max);

}  // namespace caravan::server
