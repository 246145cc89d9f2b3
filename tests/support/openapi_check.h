// A small checker of JSON values against the OpenAPI 3.0 schema subset the
// caravan document uses: $ref, type, nullable, required, properties, items,
// enum, minItems/maxItems, minimum/maximum, minLength/maxLength. Enough to
// catch a response that drops a required field or changes a type.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace caravan::testing {

class OpenApiChecker {
 public:
  explicit OpenApiChecker(nlohmann::json doc) : doc_(std::move(doc)) {}

  const nlohmann::json& doc() const { return doc_; }

  /// The JSON pointer `#/components/...` resolved; throws when absent.
  const nlohmann::json& resolve(const std::string& ref) const {
    if (ref.rfind("#/", 0) != 0) throw std::runtime_error("unsupported $ref " + ref);
    return doc_.at(nlohmann::json::json_pointer(ref.substr(1)));
  }

  /// The response schema for `path` (as written in the document, e.g.
  /// `/v1/scenarios/{id}`), `method` (lowercase) and `status`; null when the
  /// document has no such response or it has no JSON body.
  const nlohmann::json* response_schema(const std::string& path, const std::string& method, int status) const {
    const auto& paths = doc_.at("paths");
    if (!paths.contains(path) || !paths.at(path).contains(method)) return nullptr;
    const auto& responses = paths.at(path).at(method).at("responses");
    std::string code = std::to_string(status);
    if (!responses.contains(code)) return nullptr;
    const nlohmann::json* r = &responses.at(code);
    if (r->contains("$ref")) r = &resolve(r->at("$ref").get<std::string>());
    if (!r->contains("content")) return nullptr;
    for (const auto& [type, media] : r->at("content").items()) {
      if (media.contains("schema")) return &media.at("schema");
    }
    return nullptr;
  }

  /// Every violation of `schema` by `value`, each naming the JSON path.
  std::vector<std::string> check(const nlohmann::json& value, const nlohmann::json& schema,
                                 const std::string& at = "$") const {
    std::vector<std::string> out;
    visit(value, schema, at, out);
    return out;
  }

 private:
  void visit(const nlohmann::json& v, const nlohmann::json& s0, const std::string& at,
             std::vector<std::string>& out) const {
    const nlohmann::json& s = s0.contains("$ref") ? resolve(s0.at("$ref").get<std::string>()) : s0;
    if (v.is_null()) {
      if (!s.value("nullable", false) && s.contains("type")) out.push_back(at + ": null but not nullable");
      return;
    }
    if (s.contains("type")) {
      const std::string t = s.at("type");
      bool ok = (t == "object" && v.is_object()) || (t == "array" && v.is_array()) ||
                (t == "string" && v.is_string()) || (t == "number" && v.is_number()) ||
                (t == "integer" && v.is_number_integer()) || (t == "boolean" && v.is_boolean());
      if (!ok) {
        out.push_back(at + ": expected " + t + ", got " + v.type_name());
        return;
      }
    }
    if (s.contains("enum")) {
      bool found = false;
      for (const auto& e : s.at("enum")) found = found || e == v;
      if (!found) out.push_back(at + ": " + v.dump() + " not in enum");
    }
    if (v.is_number()) {
      if (s.contains("minimum") && v.get<double>() < s.at("minimum").get<double>())
        out.push_back(at + ": below minimum");
      if (s.contains("maximum") && v.get<double>() > s.at("maximum").get<double>())
        out.push_back(at + ": above maximum");
    }
    if (v.is_string()) {
      auto n = v.get<std::string>().size();
      if (s.contains("minLength") && n < s.at("minLength").get<std::size_t>())
        out.push_back(at + ": shorter than minLength");
      if (s.contains("maxLength") && n > s.at("maxLength").get<std::size_t>())
        out.push_back(at + ": longer than maxLength");
    }
    if (v.is_object()) {
      if (s.contains("required")) {
        for (const auto& r : s.at("required")) {
          if (!v.contains(r.get<std::string>())) out.push_back(at + ": missing required " + r.get<std::string>());
        }
      }
      if (s.contains("properties")) {
        for (const auto& [k, sub] : s.at("properties").items()) {
          if (v.contains(k)) visit(v.at(k), sub, at + "." + k, out);
        }
        if (s.contains("additionalProperties") && s.at("additionalProperties") == false) {
          for (const auto& [k, x] : v.items()) {
            if (!s.at("properties").contains(k)) out.push_back(at + ": unexpected property " + k);
          }
        }
      }
    }
    if (v.is_array()) {
      if (s.contains("minItems") && v.size() < s.at("minItems").get<std::size_t>())
        out.push_back(at + ": fewer than minItems");
      if (s.contains("maxItems") && v.size() > s.at("maxItems").get<std::size_t>())
        out.push_back(at + ": more than maxItems");
      if (s.contains("items")) {
        for (std::size_t i = 0; i < v.size(); ++i) visit(v[i], s.at("items"), at + "[" + std::to_string(i) + "]", out);
      }
    }
  }

  nlohmann::json doc_;
};

}  // namespace caravan::testing
