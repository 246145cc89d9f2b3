#include "request_fields.h"

#include <httplib.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "caravan/text.h"

namespace caravan::server {
namespace {

Error body_error(std::string message) {
  Error e = Error::invalid("body: " + std::move(message));
  e.column = "body";
  return e;
}

Error member_error(const std::string& name, std::string message) {
  Error e = Error::invalid(sanitize_text(name) + ": " + std::move(message));
  e.column = sanitize_text(name);
  return e;
}

// Reads the body as events, so that numbers keep their text and a number
// that overflows a double is blamed on its member rather than the body.
class FieldReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit FieldReader(std::span<const OptionSpec> options) : options_(options) {}

  RequestFields fields;
  std::optional<Error> error;

  bool null() override {
    if (depth_ == 0) return fail(body_error("expected a JSON object"));
    if (depth_ == 1) return true;  // an explicit null is "not given"
    return fail(member_error(key_, "null in a list or row (expected a value)"));
  }
  bool boolean(bool v) override { return scalar(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return scalar(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return scalar(std::to_string(v)); }
  bool number_float(number_float_t, const string_t& text) override { return scalar(text); }
  bool string(string_t& v) override { return scalar(v); }
  bool binary(binary_t&) override { return fail(body_error("binary data (expected JSON text)")); }

  bool start_object(std::size_t) override {
    ++depth_;
    if (depth_ == 1) return true;
    if (depth_ == 2 || (depth_ == 3 && in_array_)) {
      fields.push_back({key_, "", {}});
      in_row_ = true;
      return true;
    }
    return fail(member_error(key_, "nested too deep (expected strings, numbers, lists of them or rows of them)"));
  }
  bool key(string_t& k) override {
    // A nameless member has no field to blame, whatever its value: the
    // request layer's own error for it ("an option without a name").
    if (depth_ == 1 && k.empty()) return fail(invalid_value(options_, k, ""));
    if (depth_ == 1)
      key_ = k;
    else
      member_key_ = k;
    return true;
  }
  bool end_object() override {
    if (in_row_) in_row_ = false;
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return fail(body_error("expected a JSON object"));
    if (depth_ != 1) return fail(member_error(key_, "a list inside a list or row (expected strings or numbers)"));
    ++depth_;
    in_array_ = true;
    return true;
  }
  bool end_array() override {
    --depth_;
    in_array_ = false;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& ex) override {
    if (!error) {
      // 406: a number literal that overflows a double (1e400). Otherwise the
      // place, not the parser's own text (which names its internals).
      error = ex.id == 406 && depth_ >= 1
                  ? invalid_value(options_, key_, token)
                  : body_error("malformed JSON at byte " + std::to_string(position) + " (expected a JSON object)");
    }
    return false;
  }

 private:
  bool scalar(std::string text) {
    if (depth_ == 0) return fail(body_error("expected a JSON object"));
    if (in_row_)
      fields.back().members.emplace_back(member_key_, std::move(text));
    else
      fields.push_back({key_, std::move(text), {}});
    return true;
  }
  bool fail(Error e) {
    if (!error) error = std::move(e);
    return false;
  }

  std::span<const OptionSpec> options_;
  int depth_ = 0;
  bool in_array_ = false, in_row_ = false;
  std::string key_, member_key_;
};

}  // namespace

RequestFields query_fields(std::string_view target, std::initializer_list<std::string_view> skip) {
  RequestFields out;
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::string name = httplib::detail::decode_url(std::string(pair.substr(0, eq)), true);
    std::string value = eq == std::string_view::npos
                            ? std::string()
                            : httplib::detail::decode_url(std::string(pair.substr(eq + 1)), true);
    if (std::find(skip.begin(), skip.end(), name) == skip.end()) out.push_back({std::move(name), std::move(value), {}});
  }
  return out;
}

Result<RequestFields> json_fields(std::string_view body, std::span<const OptionSpec> options) {
  FieldReader reader(options);
  const bool ok = nlohmann::json::sax_parse(body, &reader);
  if (reader.error) return *reader.error;
  if (!ok) return body_error("malformed JSON");
  return std::move(reader.fields);
}

namespace {

// The quality Accept gives a media type: that of the most specific range
// matching it (type/subtype, then type/*, then */*); 0 when none does.
double quality(std::string_view accept, std::string_view type, std::string_view subtype) {
  double best_q = 0;
  int best_rank = -1;
  while (!accept.empty()) {
    const std::size_t comma = accept.find(',');
    std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    double q = 1;
    if (std::size_t semi = range.find(';'); semi != std::string_view::npos) {
      std::string_view params = range.substr(semi);
      range = range.substr(0, semi);
      if (std::size_t at = params.find("q="); at != std::string_view::npos) {
        params.remove_prefix(at + 2);
        auto [end, ec] = std::from_chars(params.data(), params.data() + params.size(), q);
        if (ec != std::errc() || q < 0 || q > 1) q = 0;
      }
    }
    while (!range.empty() && range.front() == ' ') range.remove_prefix(1);
    while (!range.empty() && range.back() == ' ') range.remove_suffix(1);
    const std::size_t slash = range.find('/');
    if (slash == std::string_view::npos) continue;
    auto same = [](std::string_view a, std::string_view b) {
      return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
             });
    };
    const std::string_view t = range.substr(0, slash), s = range.substr(slash + 1);
    int rank = -1;
    if (same(t, type) && same(s, subtype))
      rank = 2;
    else if (same(t, type) && s == "*")
      rank = 1;
    else if (t == "*" && s == "*")
      rank = 0;
    if (rank > best_rank) {
      best_rank = rank;
      best_q = q;
    }
  }
  return best_q;
}

}  // namespace

Result<std::optional<ResponseFormat>> take_format(RequestFields& fields, std::string_view accept) {
  std::optional<std::string> given;
  for (auto it = fields.begin(); it != fields.end();) {
    if (it->name != "format") {
      ++it;
      continue;
    }
    if (given) return member_error("format", "given more than once (expected a single value)");
    given = it->value;
    it = fields.erase(it);
  }
  if (given) {
    if (*given == "json") return std::optional<ResponseFormat>(ResponseFormat::kJson);
    if (*given == "csv") return std::optional<ResponseFormat>(ResponseFormat::kCsv);
    return member_error("format", "unknown format \"" + sanitize_text(*given) + "\" (expected json or csv)");
  }
  if (accept.empty()) return std::optional<ResponseFormat>(ResponseFormat::kJson);
  const double json = quality(accept, "application", "json"), csv = quality(accept, "text", "csv");
  if (json == 0 && csv == 0) return std::optional<ResponseFormat>();
  return std::optional<ResponseFormat>(csv > json ? ResponseFormat::kCsv : ResponseFormat::kJson);
}

Result<std::uint32_t> parse_count(std::string_view field, std::string_view text, std::uint32_t max) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v == 0 || v > max) {
    return member_error(std::string(field), "bad number \"" + std::string(text) +
                                                "\" (expected a whole number from 1 to " + std::to_string(max) + ")");
  }
  return static_cast<std::uint32_t>(v);
}

}  // namespace caravan::server
