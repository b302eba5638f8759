#include "bench/dialect.hpp"

#include "bench/chat_dialect.hpp"
#include "bench/irc_dialect.hpp"

namespace bench {

std::unique_ptr<dialect> make_dialect(std::string_view name) {
  if (name == "chat") return std::make_unique<chat_dialect>();
  if (name == "irc") return std::make_unique<irc_dialect>();
  return nullptr;
}

}  // namespace bench
