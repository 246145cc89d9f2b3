#include "catalog.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace caravan::server {
namespace {

constexpr std::size_t kCachedIndexes = 16;

std::string join_ids(const std::vector<std::string>& ids) {
  std::string k;
  for (const std::string& id : ids) k += id + '\n';
  return k;
}

}  // namespace

PlannerPool::Lease PlannerPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!free_.empty()) {
      auto p = std::move(free_.back());
      free_.pop_back();
      return Lease(*this, std::move(p));
    }
  }
  return Lease(*this, std::make_unique<Planner>(index_));
}

void PlannerPool::give_back(std::unique_ptr<Planner> p) {
  std::lock_guard<std::mutex> lock(mutex_);
  free_.push_back(std::move(p));
}

Result<std::shared_ptr<ScenarioIndex>> build_index(const Network& net, std::vector<Scenario> scenarios) {
  auto out = std::make_shared<ScenarioIndex>();
  for (const Scenario& s : scenarios) out->ids.push_back(s.id);
  if (!scenarios.empty()) {
    auto ov = Overlay::build(net, scenarios);
    if (!ov) return ov.errors();
    out->overlay = std::make_unique<Overlay>(std::move(*ov));
  }
  out->index = std::make_unique<RouteIndex>(net, out->overlay.get());
  out->model = std::make_unique<StageModel>(*out->index);
  out->planners = std::make_unique<PlannerPool>(*out->index);
  return out;
}

bool valid_scenario_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return false;
  }
  return true;
}

Result<std::unique_ptr<Catalog>> Catalog::open(std::shared_ptr<const Network> net,
                                               const std::filesystem::path& dataset_dir,
                                               std::unique_ptr<ScenarioStore> store, Errors* skipped,
                                               IndexBuilder build) {
  std::unique_ptr<Catalog> c(new Catalog(net, std::move(store), std::move(build)));
  auto base = build_index(*net, {});
  if (!base) return base.errors();
  c->base_ = *base;

  std::error_code ec;
  if (!dataset_dir.empty() && std::filesystem::is_directory(dataset_dir, ec)) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dataset_dir, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".toml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    Errors errors;
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      auto sc = parse_scenario(text.str(), f.filename().string(), *net);
      if (!sc) {
        errors.insert(errors.end(), sc.errors().begin(), sc.errors().end());
        continue;
      }
      auto ov = Overlay::build(*net, {*sc});
      if (!ov) {
        errors.insert(errors.end(), ov.errors().begin(), ov.errors().end());
        continue;
      }
      auto entry = std::make_shared<CatalogEntry>();
      entry->scenario = std::move(*sc);
      entry->toml = text.str();
      entry->origin = ScenarioOrigin::kDataset;
      c->entries_.push_back(std::move(entry));
    }
    if (!errors.empty()) return errors;
  }
  if (c->store_) {
    auto saved = c->store_->list();
    if (!saved) return saved.errors();
    for (StoredScenario& s : *saved) {
      auto sc = parse_scenario(s.toml, s.id + ".toml", *net);
      Status st = sc ? Status(Overlay::build(*net, {*sc}).status()) : sc.status();
      if (!st.ok()) {
        Error e = st.error();
        e.message = "saved scenario \"" + s.id + "\" no longer valid (skipped): " + e.message;
        if (skipped != nullptr) skipped->push_back(e);
        continue;
      }
      if (c->find(sc->id) != nullptr) {
        if (skipped != nullptr) {
          skipped->push_back(
              Error::invalid("saved scenario \"" + s.id + "\" has the id of a dataset scenario (skipped)"));
        }
        continue;
      }
      auto entry = std::make_shared<CatalogEntry>();
      entry->scenario = std::move(*sc);
      entry->toml = std::move(s.toml);
      entry->origin = ScenarioOrigin::kSaved;
      entry->saved_at = std::move(s.saved_at);
      c->entries_.push_back(std::move(entry));
    }
  }
  return c;
}

std::vector<std::shared_ptr<const CatalogEntry>> Catalog::list() const {
  std::shared_lock lock(mutex_);
  return entries_;
}

std::shared_ptr<const CatalogEntry> Catalog::find(const std::string& id) const {
  std::shared_lock lock(mutex_);
  for (const auto& e : entries_) {
    if (e->scenario.id == id) return e;
  }
  return nullptr;
}

std::uint64_t Catalog::generation() const {
  std::shared_lock lock(mutex_);
  return generation_;
}

namespace {

ChangeResult failed(ChangeFailure why, Errors errors) { return {nullptr, why, std::move(errors)}; }

ChangeResult store_failed(const StoreStatus& st) {
  return failed(st.code == StoreCode::kFull ? ChangeFailure::kStoreFull : ChangeFailure::kStoreFailed,
                {Error::internal(st.message)});
}

}  // namespace

ChangeResult Catalog::save(const std::string& toml, const std::string& suggested_id, const std::string& now_utc) {
  if (!store_) return failed(ChangeFailure::kStoreFailed, {Error::internal("no scenario store")});
  auto sc = parse_scenario(toml, suggested_id + ".toml", *net_);
  if (!sc) return failed(ChangeFailure::kInvalid, sc.errors());
  if (!valid_scenario_id(sc->id)) {
    return failed(ChangeFailure::kInvalid,
                  {Error::invalid("bad scenario id \"" + sc->id + "\" (expected 1 to 64 of a-z, 0-9, - and _)")});
  }
  auto ov = Overlay::build(*net_, {*sc});
  if (!ov) return failed(ChangeFailure::kInvalid, ov.errors());
  std::unique_lock lock(mutex_);
  for (const auto& e : entries_) {
    if (e->scenario.id == sc->id) {
      return failed(ChangeFailure::kTaken, {Error::invalid("scenario \"" + sc->id +
                                                           "\" exists (expected a new id; delete the old one first)")});
    }
  }
  StoreStatus st = store_->insert({sc->id, toml, now_utc});
  if (st.code == StoreCode::kExists) return failed(ChangeFailure::kTaken, {Error::invalid(st.message)});
  if (!st.ok()) return store_failed(st);
  auto entry = std::make_shared<CatalogEntry>();
  entry->scenario = std::move(*sc);
  entry->toml = toml;
  entry->origin = ScenarioOrigin::kSaved;
  entry->saved_at = now_utc;
  entries_.push_back(entry);
  ++generation_;
  return {entry, std::nullopt, {}};
}

ChangeResult Catalog::remove(const std::string& id) {
  {
    std::unique_lock lock(mutex_);  // then cache_mutex_, as in index_for
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e->scenario.id == id; });
    if (it == entries_.end())
      return failed(ChangeFailure::kNotFound, {Error::not_found("unknown scenario \"" + id + "\"")});
    if ((*it)->origin == ScenarioOrigin::kDataset) {
      return failed(ChangeFailure::kReadOnly,
                    {Error::invalid("scenario \"" + id +
                                    "\" comes with the dataset and cannot be deleted (expected a saved one)")});
    }
    if (!store_) return failed(ChangeFailure::kStoreFailed, {Error::internal("no scenario store")});
    StoreStatus st = store_->remove(id);
    if (st.code == StoreCode::kNotFound) return failed(ChangeFailure::kNotFound, {Error::not_found(st.message)});
    if (!st.ok()) return store_failed(st);
    entries_.erase(it);
    ++generation_;
    // Evicted before the lock goes: once the id can be saved again, no index
    // of the old scenario is left to be found.
    std::lock_guard<std::mutex> cache_lock(cache_mutex_);
    cache_.remove_if([&](const auto& kv) {
      return std::find(kv.second->ids.begin(), kv.second->ids.end(), id) != kv.second->ids.end();
    });
  }
  return {};
}

Result<std::shared_ptr<ScenarioIndex>> Catalog::index_for(const std::vector<std::string>& ids) {
  if (ids.empty()) return base_;
  std::vector<std::shared_ptr<const CatalogEntry>> used;
  std::uint64_t generation = 0;
  {
    std::shared_lock lock(mutex_);
    for (const std::string& id : ids) {
      auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e->scenario.id == id; });
      if (it == entries_.end()) {
        Error e = Error::not_found("scenario: unknown scenario \"" + id + "\" (expected an id from /v1/scenarios)");
        e.column = "scenario";
        return e;
      }
      used.push_back(*it);
    }
    generation = generation_;
  }
  const std::string key = join_ids(ids);
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->first == key) {
        cache_.splice(cache_.begin(), cache_, it);
        return cache_.front().second;
      }
    }
  }
  // Built outside the locks: other scenario sets are not kept waiting. Two
  // requests for the same new set may both build; the first one cached wins.
  std::vector<Scenario> scenarios;
  for (const auto& e : used) scenarios.push_back(e->scenario);
  auto built = build_(*net_, std::move(scenarios));
  if (!built) {
    Errors errs = built.errors();
    for (Error& e : errs) {
      e.message = "scenario: " + e.to_string();
      e.file.clear();
      e.line = 0;
      e.column = "scenario";
    }
    return errs;
  }
  (*built)->entries = used;
  (*built)->generation = generation;
  // Cached only if every scenario it was built from is still the catalog's:
  // a delete (which evicts the cache) and a re-save of one of them while it
  // was being built would otherwise leave the old content cached under the
  // id. Holding the catalog lock keeps a delete from slipping in between.
  std::shared_lock lock(mutex_);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e->scenario.id == ids[i]; });
    if (it == entries_.end() || *it != used[i]) return *built;
  }
  std::lock_guard<std::mutex> cache_lock(cache_mutex_);
  for (const auto& kv : cache_) {
    if (kv.first == key) return kv.second;
  }
  cache_.emplace_front(key, *built);
  if (cache_.size() > kCachedIndexes) cache_.pop_back();
  return *built;
}

}  // namespace caravan::server
