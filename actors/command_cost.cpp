#include "actors/command_cost.hpp"

namespace chat {

double line_cost(const parse_result& parsed, const command_costs& costs) {
  auto* cmd = std::get_if<command>(&parsed);
  if (!cmd) return costs.chat;
  switch (cmd->kind) {
    case command_kind::quit:
      return 0;  // leaving is never held back by its own price
    case command_kind::who:
    case command_kind::rooms:
    case command_kind::login:
      return costs.listing;
    case command_kind::create:
    case command_kind::register_nick:
      return costs.heavy;
    default:
      return costs.chat;
  }
}

}  // namespace chat
