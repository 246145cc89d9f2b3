// The bad-input corpus (tests/bad-input/README.md): one test per case file.
// Each case is run against the `caravan` binary and must end with its expected
// exit code and print every expected message fragment, within a minute (a
// hang fails), never silently and never as an internal error unless that is
// what it expects. An http case is a raw request to `caravan serve` and must
// get its expected status and error.
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(CARAVAN_SOURCE_DIR) / "tests" / "bad-input";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// `\xHH`, `\n`, `\t`, `\r` and `\\` in a patch value, so cases can hold any byte.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (c == 'n') {
      out += '\n';
    } else if (c == 't') {
      out += '\t';
    } else if (c == 'r') {
      out += '\r';
    } else {
      out += c;
    }
  }
  return out;
}

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t\r") + 1);
  return s;
}

// A CSV record of a file: its text (without the line break) and first line.
struct Record {
  std::size_t begin, end;  // byte range in the file, line break excluded
  std::size_t line;
};

// Splits RFC 4180 text into records (a quoted field may hold line breaks).
std::vector<Record> records(const std::string& text) {
  std::vector<Record> out;
  std::size_t line = 1, begin = 0;
  bool quoted = false;
  std::size_t start_line = 1;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == '\n' && !quoted)) {
      std::size_t end = i > begin && text[i - 1] == '\r' ? i - 1 : i;
      if (i < text.size() || end > begin) out.push_back({begin, end, start_line});
      ++line;
      begin = i + 1;
      start_line = line;
      continue;
    }
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == '\n') ++line;
  }
  return out;
}

std::vector<std::string> split_fields(const std::string& row) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < row.size(); ++i) {
    char c = row[i];
    if (quoted) {
      if (c == '"' && i + 1 < row.size() && row[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\n\r") == std::string::npos) {
      out += f;
    } else {
      out += '"' + replace_all(f, "\"", "\"\"") + '"';
    }
  }
  return out;
}

// One case: its directives and, for a dataset case, its patch operations.
struct Case {
  fs::path path;
  std::string kind;  // extension: dataset, toml, cli, http
  std::optional<int> exit, status;
  std::vector<std::string> stderr_has, stdout_has, response_has, setup;
  std::string run;
  std::vector<std::string> ops;      // `@ …` lines of a dataset case
  std::vector<std::string> request;  // the lines of an http case after its directives
};

Case read_case(const fs::path& p) {
  Case c;
  c.path = p;
  c.kind = p.extension().string().substr(1);
  std::istringstream in(slurp(p));
  std::string line;
  while (std::getline(in, line)) {
    if (c.kind == "http" && (!c.request.empty() || line.rfind("# ", 0) != 0)) {
      c.request.push_back(line);
      continue;
    }
    if (line.rfind("@ ", 0) == 0) {
      c.ops.push_back(line.substr(2));
      continue;
    }
    if (line.rfind("# ", 0) != 0) continue;
    std::string body = line.substr(2);
    auto take = [&](const char* key) -> std::optional<std::string> {
      std::string k = std::string(key) + ":";
      if (body.rfind(k, 0) != 0) return std::nullopt;
      return trim(body.substr(k.size()));
    };
    if (auto exit = take("exit")) c.exit = std::stoi(*exit);
    if (auto status = take("status")) c.status = std::stoi(*status);
    if (auto response = take("response")) c.response_has.push_back(*response);
    if (auto err = take("stderr")) c.stderr_has.push_back(*err);
    if (auto out = take("stdout")) c.stdout_has.push_back(*out);
    if (auto setup = take("setup")) c.setup.push_back(*setup);
    if (auto run = take("run")) c.run = *run;
  }
  return c;
}

// What an operation touched, for `{line}` and `{id}` in expected messages.
struct Touched {
  std::size_t line = 0;
  std::string id;
};

// Applies one `@ FILE …` operation to the dataset copy in `dir`.
Touched apply(const fs::path& dir, const std::string& op) {
  std::size_t sp = op.find(' ');
  const std::string file = op.substr(0, sp);
  std::string rest = sp == std::string::npos ? "" : trim(op.substr(sp + 1));
  const fs::path p = dir / file;
  if (rest.rfind("! ", 0) == 0) {  // the file replaced by something that is not one
    std::string what = trim(rest.substr(2));
    fs::remove_all(p);
    if (what == "fifo")
      EXPECT_EQ(::mkfifo(p.c_str(), 0600), 0);
    else if (what == "directory")
      fs::create_directory(p);
    else if (what == "empty")
      spit(p, "");
    else if (what == "dev-zero")
      fs::create_symlink("/dev/zero", p);
    else if (what == "dangling-symlink")
      fs::create_symlink(dir / "no-such-target", p);
    else if (what != "missing")
      ADD_FAILURE() << "unknown file kind " << what;
    return {};
  }
  if (rest.rfind(":= ", 0) == 0) {  // the whole file
    spit(p, unescape(rest.substr(3)));
    return {};
  }
  std::string text = slurp(p);
  if (rest.rfind("~ ", 0) == 0) {  // literal substitution of the first occurrence
    std::size_t arrow = rest.find(" => ");
    std::string from = unescape(rest.substr(2, arrow - 2)), to = unescape(rest.substr(arrow + 4));
    std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << file << ": no \"" << from << "\" to replace";
    if (at == std::string::npos) return {};
    text.replace(at, from.size(), to);
    spit(p, text);
    return {static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1, ""};
  }
  if (rest.rfind("+ ", 0) == 0) {  // a row appended
    if (!text.empty() && text.back() != '\n') text += '\n';
    std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::string row = unescape(rest.substr(2));
    spit(p, text + row + "\n");
    return {line, split_fields(row)[0]};
  }
  std::vector<Record> recs = records(text);
  auto field_of = [&](std::size_t rec, std::size_t col) {
    auto f = split_fields(text.substr(recs[rec].begin, recs[rec].end - recs[rec].begin));
    return col < f.size() ? f[col] : std::string();
  };
  // [ID], [#N] (the Nth data row) or [COLUMN=VALUE] (the first row with it).
  auto find_row = [&](const std::string& sel) -> const Record* {
    if (sel.rfind("#", 0) == 0) {
      std::size_t n = std::stoul(sel.substr(1));
      if (n < recs.size()) return &recs[n];
    } else {
      std::size_t eq = sel.find('='), col = 0;
      std::string value = sel;
      if (eq != std::string::npos) {
        auto header = split_fields(text.substr(recs[0].begin, recs[0].end - recs[0].begin));
        col = static_cast<std::size_t>(std::find(header.begin(), header.end(), sel.substr(0, eq)) - header.begin());
        value = sel.substr(eq + 1);
      }
      for (std::size_t i = 1; i < recs.size(); ++i) {
        if (field_of(i, col) == value) return &recs[i];
      }
    }
    ADD_FAILURE() << file << ": no row " << sel;
    return nullptr;
  };
  const Record* target = nullptr;
  std::string after;
  if (rest.rfind("header", 0) == 0) {
    target = recs.empty() ? nullptr : &recs[0];
    after = trim(rest.substr(6));
  } else if (rest.rfind("[", 0) == 0) {
    std::size_t close = rest.find(']');
    target = find_row(rest.substr(1, close - 1));
    after = trim(rest.substr(close + 1));
  }
  if (target == nullptr) {
    ADD_FAILURE() << "cannot apply " << op;
    return {};
  }
  std::string row = text.substr(target->begin, target->end - target->begin);
  const Touched touched{target->line, split_fields(row)[0]};
  std::string replacement;
  if (after == "-") {  // the row deleted
    std::size_t end = target->end < text.size() && text[target->end] == '\r' ? target->end + 1 : target->end;
    if (end < text.size()) ++end;
    text.erase(target->begin, end - target->begin);
    spit(p, text);
    return touched;
  }
  if (after == "duplicate") {  // a copy of the row appended
    if (!text.empty() && text.back() != '\n') text += '\n';
    std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    spit(p, text + row + "\n");
    return {line, touched.id};
  }
  if (after.rfind("= ", 0) == 0) {  // the raw row replaced
    replacement = unescape(after.substr(2));
  } else {                              // COLUMN = VALUE: one field set
    std::size_t eq = after.find(" =");  // the value may be empty: `name =`
    std::string column = after.substr(0, eq), value = unescape(trim(after.substr(eq + 2)));
    auto header = split_fields(text.substr(recs[0].begin, recs[0].end - recs[0].begin));
    auto it = std::find(header.begin(), header.end(), column);
    EXPECT_NE(it, header.end()) << file << ": no column " << column;
    if (it == header.end()) return {};
    auto fields = split_fields(row);
    fields.resize(std::max(fields.size(), header.size()));
    fields[static_cast<std::size_t>(it - header.begin())] = value;
    replacement = join_fields(fields);
  }
  text.replace(target->begin, target->end - target->begin, replacement);
  spit(p, text);
  return touched;
}

struct Outcome {
  int exit = -1;
  std::string out, err;
};

Outcome run_shell(const std::string& command, const fs::path& tmp) {
  std::string script = "cd '" + tmp.string() + "' && timeout 60 " + command + " 2>'" + (tmp / "stderr").string() + "'";
  FILE* p = popen(script.c_str(), "r");
  Outcome o;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  int status = pclose(p);
  o.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.err = slurp(tmp / "stderr");
  return o;
}

// `\xHH` only: JSON has escapes of its own (`\u0001`, `\"`).
std::string unescape_bytes(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 2) == "\\x" && i + 3 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 3]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 2, 2)), nullptr, 16));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// An http case's request: its lines joined by CR LF, `\xHH` read, and
// `{length}` replaced by the length of the body (what follows the blank line).
std::string raw_request(const std::vector<std::string>& lines) {
  std::string head, body;
  bool in_body = false;
  for (const std::string& l : lines) {
    if (in_body) {
      body += (body.empty() ? "" : "\n") + unescape_bytes(l);
    } else if (l.empty()) {
      in_body = true;
    } else {
      head += unescape_bytes(l) + "\r\n";
    }
  }
  return replace_all(head, "{length}", std::to_string(body.size())) + "\r\n" + body;
}

// `caravan serve` on an ephemeral port of 127.0.0.1 (it prints its URL on
// stdout) for one case, stopped with SIGTERM when the case is done.
// True once `got` holds a head and as much body as its Content-Length says.
bool complete(const std::string& got) {
  const std::size_t end = got.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = got.substr(0, end);
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char ch) { return std::tolower(ch); });
  const std::size_t at = head.find("\r\ncontent-length:");
  return at != std::string::npos && got.size() - end - 4 >= std::stoul(head.substr(at + 17));
}

class ServeProcess {
 public:
  ServeProcess(const std::string& binary, const std::string& data, const fs::path& tmp) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      std::FILE* err = std::freopen((tmp / "stderr").c_str(), "w", stderr);
      (void)err;
      ::close(out[0]);
      const std::string db = (tmp / "scenarios.sqlite").string();
      ::execl(binary.c_str(), binary.c_str(), "serve", "--data", data.c_str(), "--port", "0", "--db", db.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string url;
    pollfd pfd{out[0], POLLIN, 0};
    char ch;
    while (url.find('\n') == std::string::npos && ::poll(&pfd, 1, 30000) > 0 && ::read(out[0], &ch, 1) == 1) url += ch;
    ::close(out[0]);
    const std::size_t colon = url.rfind(':');
    if (colon != std::string::npos) port_ = std::atoi(url.c_str() + colon + 1);
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  int port() const { return port_; }

  // Sends `request` and reads one answer (by its Content-Length) or until the
  // server closes, at most 30 s: the status code (0 for no answer) and the body.
  std::pair<int, std::string> exchange(const std::string& request) const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string got;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      for (std::size_t sent = 0; sent < request.size();) {
        const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      // The sending side stays open: httplib drops an answer to a client that has closed it.
      const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      std::array<char, 4096> buf;
      pollfd pfd{fd, POLLIN, 0};
      while (std::chrono::steady_clock::now() < end && ::poll(&pfd, 1, 1000) >= 0) {
        if ((pfd.revents & (POLLIN | POLLHUP)) == 0) continue;
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n <= 0) break;
        got.append(buf.data(), static_cast<std::size_t>(n));
        if (complete(got)) break;
      }
    }
    ::close(fd);
    int status = 0;
    if (got.rfind("HTTP/1.", 0) == 0 && got.size() > 12) status = std::atoi(got.c_str() + 9);
    const std::size_t body = got.find("\r\n\r\n");
    return {status, body == std::string::npos ? std::string() : got.substr(body + 4)};
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

class BadInput : public ::testing::TestWithParam<fs::path> {};

// A raw HTTP request to `caravan serve` on the embedded dataset: the status
// and fragments of the response body (the JSON error, with its field).
void run_http_case(const Case& c) {
  ASSERT_TRUE(c.status.has_value()) << c.path << ": no `# status:` line";
  ASSERT_FALSE(c.response_has.empty()) << c.path << ": no expected response";
  std::string tmpl = (fs::temp_directory_path() / "caravan-bad-input-XXXXXX").string();
  const fs::path tmp = ::mkdtemp(tmpl.data());
  const char* other = std::getenv("CARAVAN_CORPUS_BINARY");
  auto [status, body] = [&] {
    ServeProcess server(other != nullptr ? other : CARAVAN_BINARY, CARAVAN_TEST_DATA_DIR, tmp);
    EXPECT_GT(server.port(), 0) << "the server did not start:\n" << slurp(tmp / "stderr");
    return server.port() > 0 ? server.exchange(raw_request(c.request)) : std::pair<int, std::string>{};
  }();
  const std::string where = c.path.filename().string();
  if (std::getenv("CARAVAN_CORPUS_SHOW") != nullptr) std::cout << "== " << where << " -> " << status << "\n" << body;
  EXPECT_EQ(status, *c.status) << where << "\nbody:\n" << body;
  for (const std::string& want : c.response_has) {
    EXPECT_NE(body.find(want), std::string::npos) << where << ": response lacks " << want << "\nbody:\n" << body;
  }
  EXPECT_EQ(body.find("internal"), std::string::npos) << where << "\n" << body;
  fs::remove_all(tmp);
}

TEST_P(BadInput, EndsWithTheExpectedCodeAndMessage) {
  const Case c = read_case(GetParam());
  if (c.kind == "http") return run_http_case(c);
  ASSERT_TRUE(c.exit.has_value()) << c.path << ": no `# exit:` line";
  ASSERT_FALSE(c.stderr_has.empty() && c.stdout_has.empty()) << c.path << ": no expected message";
  std::string tmpl = (fs::temp_directory_path() / "caravan-bad-input-XXXXXX").string();
  const fs::path tmp = ::mkdtemp(tmpl.data());
  const fs::path data = tmp / "data";
  std::map<std::string, std::string> vars = {{"{data}", CARAVAN_TEST_DATA_DIR},
                                             {"{tmp}", tmp.string()},
                                             {"{case}", c.path.string()},
                                             {"{corpus}", kCorpus.string()}};
  Touched last;  // what the last patch touched
  if (c.kind == "dataset") {
    fs::copy(CARAVAN_TEST_DATA_DIR, data, fs::copy_options::recursive);
    for (const std::string& op : c.ops) {
      Touched t = apply(data, op);
      if (t.line > 0) last = t;
    }
    vars["{data}"] = data.string();
  }
  vars["{line}"] = std::to_string(last.line);
  vars["{id}"] = last.id;
  auto expand = [&](std::string s) {
    for (const auto& [k, v] : vars) s = replace_all(s, k, v);
    return s;
  };
  for (const std::string& s : c.setup) {
    ASSERT_EQ(std::system(expand("cd '" + tmp.string() + "' && " + s).c_str()), 0) << s;
  }
  std::string run = c.run;
  if (run.empty() && c.kind == "dataset") run = "data check --data {data}";
  if (run.empty() && c.kind == "toml") run = "route xian tashkent --depart 2026-03-02T08:00Z --scenario {case}";
  ASSERT_FALSE(run.empty()) << c.path << ": no `# run:` line";
  // The command goes to the shell as written (redirections included), the
  // binary in front.
  // CARAVAN_CORPUS_BINARY runs the corpus against another build (an older one,
  // to see which cases it fails).
  const char* other = std::getenv("CARAVAN_CORPUS_BINARY");
  Outcome o = run_shell("'" + std::string(other != nullptr ? other : CARAVAN_BINARY) + "' " + expand(run), tmp);
  const std::string where = c.path.filename().string() + " (" + expand(run) + ")";
  // CARAVAN_CORPUS_SHOW=1 prints what every case answered, for review.
  if (std::getenv("CARAVAN_CORPUS_SHOW") != nullptr) std::cout << "== " << where << " -> " << o.exit << "\n" << o.err;
  EXPECT_NE(o.exit, 124) << where << ": still running after 60 s";
  EXPECT_EQ(o.exit, *c.exit) << where << "\nstderr:\n" << o.err;
  for (const std::string& want : c.stderr_has) {
    EXPECT_NE(o.err.find(expand(want)), std::string::npos)
        << where << ": stderr lacks \"" << expand(want) << "\"\nstderr:\n"
        << o.err;
  }
  for (const std::string& want : c.stdout_has) {
    EXPECT_NE(o.out.find(expand(want)), std::string::npos) << where << ": stdout lacks \"" << expand(want) << "\"";
  }
  if (*c.exit != 3) {
    EXPECT_EQ(o.err.find("internal error"), std::string::npos) << where << "\n" << o.err;
  }
  if (*c.exit != 0) {
    EXPECT_FALSE(o.err.empty()) << where << ": failed without a message";
  }
  fs::remove_all(tmp);
}

std::vector<fs::path> corpus() {
  std::vector<fs::path> cases;
  for (const auto& e : fs::recursive_directory_iterator(kCorpus)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".dataset" || ext == ".toml" || ext == ".cli" || ext == ".http"))
      cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string n = fs::relative(info.param, kCorpus).replace_extension().string();
  for (char& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(corpus()), case_name);

// The corpus is the issue's acceptance list; it must not shrink unnoticed.
TEST(BadInputCorpus, HasTheCasesItPromises) { EXPECT_GE(corpus().size(), 100u); }

}  // namespace
