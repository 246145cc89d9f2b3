// `caravan completion bash|zsh` and the hidden `caravan manpage`: the shell
// completions and the man page caravan.1, generated from the same command and
// option definitions as --help, so that neither can drift from the program.
// The build runs both and installs their output (cmake/install.cmake).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "caravan/request.h"
#include "commands.h"

namespace caravan::cli {
namespace {

struct OptionDoc {
  std::vector<std::string> names;  // --long and -s forms; the name for a positional
  std::string value;               // the value's placeholder, empty for a flag
  std::string help;
  bool positional = false;
  bool path = false;                 // its value is a file or folder
  std::vector<std::string> choices;  // its value is one of these (from an IsMember check)
};

struct CommandDoc {
  std::vector<std::string> path;  // {"data", "export"}; empty for caravan itself
  std::string description, footer;
  std::vector<OptionDoc> options;
  std::vector<CommandDoc> subcommands;
};

// Options whose value is a file or folder, by the name every command uses
// (the request options say it themselves: request_spec below).
bool is_path_option(const std::string& name) {
  for (const char* p : {"--data", "--token-file", "--web", "--db", "--out"}) {
    if (name == p) return true;
  }
  return false;
}

// The request option (caravan/request.h) behind `flag` of a command, if any:
// its table knows the words a choice takes and which values may be files.
const OptionSpec* request_spec(const std::vector<std::string>& path, const std::string& flag) {
  if (path.size() != 1) return nullptr;
  std::span<const OptionSpec> table = path[0] == "route"      ? route_options()
                                      : path[0] == "matrix"   ? matrix_options()
                                      : path[0] == "compare"  ? compare_options()
                                      : path[0] == "simulate" ? simulate_options()
                                                              : std::span<const OptionSpec>{};
  for (const OptionSpec& s : table) {
    if (s.cli_flag() == flag) return &s;
  }
  return nullptr;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = std::min(text.find(sep, start), text.size());
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// CLI11 writes an IsMember check into the type name: `TEXT:{a,b,c}`.
std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> out;
  auto open = type_name.find('{');
  auto close = type_name.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::stringstream in(type_name.substr(open + 1, close - open - 1));
  for (std::string item; std::getline(in, item, ',');) {
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

CommandDoc describe(const CLI::App& app, std::vector<std::string> path) {
  CommandDoc doc;
  doc.path = path;
  doc.description = app.get_description();
  doc.footer = app.get_footer();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt == app.get_help_ptr() || opt == app.get_help_all_ptr()) continue;
    OptionDoc o;
    o.positional = opt->get_positional() && !opt->nonpositional();
    if (o.positional) {
      std::string upper = opt->get_name();  // FROM, as the descriptions write it
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      o.names = {upper};
    } else {
      for (const std::string& l : opt->get_lnames()) o.names.push_back("--" + l);
      for (const std::string& s : opt->get_snames()) o.names.push_back("-" + s);
    }
    o.help = opt->get_description();
    if (opt->get_items_expected_max() > 0 && !o.positional) {
      o.choices = choices_of(opt->get_type_name());
      o.value = o.names.front().substr(2);
      for (char& c : o.value) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    o.path = !o.names.empty() && is_path_option(o.names.front());
    if (const OptionSpec* spec = o.positional ? nullptr : request_spec(path, o.names.front())) {
      // Scenarios and demand may name files on the command line: complete file names.
      o.path = spec->type == OptionType::kScenarios || spec->type == OptionType::kDemand;
      if (spec->type == OptionType::kChoice || spec->type == OptionType::kChoices)
        o.choices = split(spec->choices, '|');
    }
    doc.options.push_back(std::move(o));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    std::vector<std::string> p = path;
    p.push_back(sub->get_name());
    doc.subcommands.push_back(describe(*sub, p));
  }
  return doc;
}

std::string joined(const std::vector<std::string>& words, const std::string& sep) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

template <typename F>
void each_command(const CommandDoc& c, F&& f) {
  f(c);
  for (const CommandDoc& s : c.subcommands) each_command(s, f);
}

// ---- man page -------------------------------------------------------------

// roff: backslashes escaped, hyphens of options as \-, a line that would
// start with a control character guarded by \&, and every non-ASCII
// character (→, ×, ±) as its \[uXXXX] escape, which groff reads in any locale.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      // One UTF-8 sequence (the help texts are UTF-8): lead byte, then continuations.
      int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
      std::uint32_t cp = c & (0x3f >> extra);
      for (int k = 0; k < extra && i + 1 < text.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(text[++i]) & 0x3f);
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", static_cast<unsigned>(cp));
      out += buf;
    }
  }
  return out;
}

std::string man_page(const CommandDoc& root, const std::string& version) {
  std::ostringstream m;
  m << ".\\\" Generated by `caravan manpage` from the program's own option definitions.\n";
  m << ".TH CARAVAN 1 \"\" \"caravan " << version << "\" \"User Commands\"\n";
  m << ".SH NAME\ncaravan \\- plan, price and stress\\-test freight across Central Asia\n";
  m << ".SH SYNOPSIS\n.B caravan\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n.B caravan\n\\fB\\-\\-help\\fR | "
       "\\fB\\-\\-version\\fR\n";
  m << ".SH DESCRIPTION\n" << roff(root.description) << "\n";
  m << ".SH COMMANDS\n";
  each_command(root, [&](const CommandDoc& c) {
    if (c.path.empty()) return;
    std::string usage = "caravan " + joined(c.path, " ");
    for (const OptionDoc& o : c.options) {
      if (o.positional) usage += " " + o.names.front();
    }
    if (!c.subcommands.empty()) usage += " COMMAND";
    m << ".SS \"" << roff(usage) << "\"\n" << roff(c.description) << "\n";
    for (const OptionDoc& o : c.options) {
      m << ".TP\n";
      if (o.positional) {
        m << "\\fI" << roff(o.names.front()) << "\\fR\n";
      } else {
        m << "\\fB" << roff(joined(o.names, ", ")) << "\\fR";
        if (!o.value.empty()) m << " \\fI" << roff(o.value) << "\\fR";
        m << "\n";
      }
      m << roff(o.help) << "\n";
    }
    if (!c.footer.empty()) m << ".PP\n.nf\n" << roff(c.footer) << "\n.fi\n";
  });
  m << ".SH OPTIONS\n.TP\n\\fB\\-h, \\-\\-help\\fR\nPrint the help of caravan or of a command, with examples.\n";
  m << ".TP\n\\fB\\-\\-version\\fR\nPrint the version.\n";
  m << ".SH EXIT STATUS\n0 success; 1 no route or nothing found (the message says why); 2 bad input (usage, unknown "
       "place, malformed data or scenario); 3 internal error.\n";
  m << ".SH ENVIRONMENT\n.TP\n.B CARAVAN_DATA\nDataset folder used when \\fB\\-\\-data\\fR is not given.\n";
  m << ".TP\n.B CARAVAN_WEB\nFolder of the web map that \\fBcaravan serve\\fR serves when \\fB\\-\\-web\\fR is not "
       "given.\n";
  m << ".TP\n.B CARAVAN_TOKEN\nBearer token of the server's write endpoints.\n";
  m << ".SH FILES\n.TP\n.I ../share/caravan/central\\-asia\nBeside the installed program: the default dataset, every "
       "row sourced.\n";
  m << ".TP\n.I ../share/caravan/web\nBeside the installed program: the web map of \\fBcaravan serve\\fR.\n";
  if (!root.footer.empty()) m << ".SH EXAMPLES\n.nf\n" << roff(root.footer) << "\n.fi\n";
  return m.str();
}

// ---- completions ----------------------------------------------------------

// The state name of a command path in the generated scripts: caravan_data_export.
std::string state_of(const std::vector<std::string>& path) {
  std::string s = "caravan";
  for (const std::string& p : path) {
    s += "_";
    for (char c : p) s += c == '-' ? '_' : c;
  }
  return s;
}

// Single-quoted for the shell.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The first line of a help text, for a completion menu.
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// A `case` over "state:word" that walks the command path from the words typed.
std::string walk_cases(const CommandDoc& root) {
  std::string out;
  each_command(root, [&](const CommandDoc& c) {
    for (const CommandDoc& s : c.subcommands) {
      out += "      " + state_of(c.path) + ":" + s.path.back() + ") cmd=" + state_of(s.path) + " ;;\n";
    }
  });
  return out;
}

// The `case` over "state:previous word" for option values: files or choices.
template <typename Words>
std::string value_cases(const CommandDoc& root, const std::string& files, Words words) {
  std::string out;
  each_command(root, [&](const CommandDoc& c) {
    for (const OptionDoc& o : c.options) {
      if (o.positional || (!o.path && o.choices.empty())) continue;
      std::vector<std::string> keys;
      for (const std::string& n : o.names) keys.push_back(state_of(c.path) + ":" + n);
      out += "      " + joined(keys, "|") + ") " + (o.path ? files : words(o.choices)) + "; return ;;\n";
    }
  });
  return out;
}

// The part both shells share: walk the words before the cursor to the command
// they name (`cmd`), then complete an option's value from the previous word.
// `word` is the shell's array of words, `first` its index of the word after
// `caravan`, `cursor` the index of the word being completed.
template <typename Words>
std::string walk_and_values(const CommandDoc& root, const std::string& word, int first, const std::string& cursor,
                            const std::string& files, Words words) {
  return "  for ((i = " + std::to_string(first) + "; i < " + cursor + "; i++)); do\n" + "    case \"$cmd:${" + word +
         "[i]}\" in\n" + walk_cases(root) +
         "    esac\n"
         "  done\n"
         "  case \"$cmd:$prev\" in\n" +
         value_cases(root, files, words) + "  esac\n";
}

std::vector<std::string> option_names(const CommandDoc& c) {
  std::vector<std::string> names = {"--help"};
  if (c.path.empty()) names.push_back("--version");
  for (const OptionDoc& o : c.options) {
    if (!o.positional) names.insert(names.end(), o.names.begin(), o.names.end());
  }
  return names;
}

std::string bash_completion(const CommandDoc& root) {
  std::string s =
      "# bash completion for caravan; generated by `caravan completion bash`.\n"
      "_caravan() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=caravan i\n" +
      walk_and_values(root, "COMP_WORDS", 1, "COMP_CWORD",
                      "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))",
                      [](const std::vector<std::string>& w) {
                        return "COMPREPLY=($(compgen -W " + quoted(joined(w, " ")) + " -- \"$cur\"))";
                      }) +
      "  local words\n"
      "  case \"$cmd\" in\n";
  each_command(root, [&](const CommandDoc& c) {
    // Options after a dash; else the subcommands, or nothing where a
    // positional (a place) is expected.
    std::vector<std::string> subs;
    for (const CommandDoc& sub : c.subcommands) subs.push_back(sub.path.back());
    bool positional = std::any_of(c.options.begin(), c.options.end(), [](const OptionDoc& o) { return o.positional; });
    s += "    " + state_of(c.path) + ") words=" + quoted(joined(option_names(c), " "));
    if (!subs.empty() || positional) s += "; [[ $cur == -* ]] || words=" + quoted(joined(subs, " "));
    s += " ;;\n";
  });
  s += "  esac\n"
       "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
       "}\n"
       "complete -F _caravan caravan\n";
  return s;
}

// zsh: `name:description` items for _describe, colons in names escaped.
std::string zsh_items(const std::vector<std::pair<std::string, std::string>>& items) {
  std::string out;
  for (const auto& [name, help] : items) {
    std::string n;
    for (char c : name) n += c == ':' ? std::string("\\:") : std::string(1, c);
    out += " " + quoted(n + ":" + first_line(help));
  }
  return out;
}

std::string zsh_completion(const CommandDoc& root) {
  std::string s =
      "#compdef caravan\n"
      "# zsh completion for caravan; generated by `caravan completion zsh`.\n"
      "_caravan() {\n"
      "  local cmd=caravan i prev=\"${words[CURRENT-1]}\"\n" +
      walk_and_values(root, "words", 2, "CURRENT", "_files",
                      [](const std::vector<std::string>& w) { return "compadd -- " + joined(w, " "); }) +
      "  local -a subs opts\n"
      "  case \"$cmd\" in\n";
  each_command(root, [&](const CommandDoc& c) {
    std::vector<std::pair<std::string, std::string>> subs, opts = {{"--help", "Print the help, with examples"}};
    if (c.path.empty()) opts.push_back({"--version", "Print the version"});
    for (const CommandDoc& sub : c.subcommands) subs.push_back({sub.path.back(), sub.description});
    for (const OptionDoc& o : c.options) {
      if (o.positional) continue;
      for (const std::string& n : o.names) opts.push_back({n, o.help});
    }
    s += "    " + state_of(c.path) + ")\n      subs=(" + zsh_items(subs) + ")\n      opts=(" + zsh_items(opts) +
         ") ;;\n";
  });
  s += "  esac\n"
       "  if [[ ${words[CURRENT]} == -* || ${#subs} -eq 0 ]]; then\n"
       "    _describe -t options option opts\n"
       "  else\n"
       "    _describe -t commands command subs\n"
       "  fi\n"
       "}\n"
       "_caravan \"$@\"\n";
  return s;
}

}  // namespace

Runner add_completion_command(CLI::App& app) {
  auto shell = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("completion", "Print the bash or zsh completion script");
  cmd->description(
      "Print the completion script for bash or zsh: commands, options, and file names where an\n"
      "option takes a file. An installed caravan has them in place already.");
  cmd->add_option("shell", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  cmd->footer(
      "\nExamples:\n"
      "  source <(caravan completion bash)\n"
      "  caravan completion zsh > ~/.zsh/completions/_caravan   (a folder on $fpath)");
  return [shell, &app] {
    CommandDoc root = describe(app, {});
    std::cout << (*shell == "bash" ? bash_completion(root) : zsh_completion(root));
    return std::cout.good() ? kExitOk : kExitInternal;
  };
}

Runner add_manpage_command(CLI::App& app, const std::string& version) {
  CLI::App* cmd = app.add_subcommand("manpage", "Print the man page caravan.1 (roff)");
  cmd->group("");  // for the build, not for users: hidden from --help
  return [&app, version] {
    std::cout << man_page(describe(app, {}), version);
    return std::cout.good() ? kExitOk : kExitInternal;
  };
}

}  // namespace caravan::cli
