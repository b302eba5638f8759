#include "actors/messages.hpp"

namespace chat {

void register_actor_messages(caf::actor_system_config& cfg) {
  // The names are the wire names: every node must register the same ones.
  cfg.add_message_type<event>("chat_event")
      .add_message_type<room_info>("room_info")
      .add_message_type<member_ref>("member_ref")
      .add_message_type<user_presence>("user_presence")
      .add_message_type<login_request>("login_request")
      .add_message_type<login_reply>("login_reply")
      .add_message_type<rename_request>("rename_request")
      .add_message_type<rename_reply>("rename_reply")
      .add_message_type<register_request>("register_request")
      .add_message_type<register_reply>("register_reply")
      .add_message_type<list_rooms>("list_rooms")
      .add_message_type<room_list>("room_list")
      .add_message_type<create_room>("create_room")
      .add_message_type<find_room>("find_room")
      .add_message_type<drop_room>("drop_room")
      .add_message_type<find_user>("find_user")
      .add_message_type<user_ref>("user_ref")
      .add_message_type<who_request>("who_request")
      .add_message_type<who_reply>("who_reply")
      .add_message_type<presence_update>("presence_update")
      .add_message_type<logout>("logout")
      .add_message_type<stats_request>("stats_request")
      .add_message_type<stats_reply>("stats_reply")
      .add_message_type<welcome_request>("welcome_request")
      .add_message_type<set_zone_request>("set_zone_request")
      .add_message_type<set_zone_reply>("set_zone_reply")
      .add_message_type<room_count>("room_count")
      .add_message_type<welcome_info>("welcome_info")
      .add_message_type<enter_room>("enter_room")
      .add_message_type<room_snapshot>("room_snapshot")
      .add_message_type<exit_room>("exit_room")
      .add_message_type<say>("say")
      .add_message_type<said>("said")
      .add_message_type<look_request>("look_request")
      .add_message_type<set_topic>("set_topic")
      .add_message_type<set_filters>("set_filters")
      .add_message_type<rename_member>("rename_member")
      .add_message_type<topic_changed>("topic_changed")
      .add_message_type<drop_now>("drop_now")
      .add_message_type<drop_done>("drop_done")
      .add_message_type<room_dropped>("room_dropped")
      .add_message_type<deliver_event>("deliver_event");
}

}  // namespace chat
