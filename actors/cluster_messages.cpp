#include "actors/cluster_messages.hpp"

namespace chat {

void register_cluster_messages(caf::actor_system_config& cfg) {
  // The wire names: every node must register the same ones.
  cfg.add_message_type<node_hello>("node_hello")
      .add_message_type<replica_state>("replica_state")
      .add_message_type<replica_digest_msg>("replica_digest_msg")
      .add_message_type<replica_repair>("replica_repair")
      .add_message_type<room_upsert>("room_upsert")
      .add_message_type<room_tombstone>("room_tombstone")
      .add_message_type<user_upsert>("user_upsert")
      .add_message_type<remote_user>("remote_user")
      .add_message_type<presence_state>("presence_state")
      .add_message_type<presence_delta>("presence_delta")
      .add_message_type<nick_claim>("nick_claim")
      .add_message_type<nick_claim_reply>("nick_claim_reply")
      .add_message_type<nick_release>("nick_release")
      .add_message_type<room_relay>("room_relay")
      .add_message_type<outbound_relay>("outbound_relay")
      .add_message_type<remote_members>("remote_members")
      .add_message_type<node_gone>("node_gone")
      .add_message_type<topic_update>("topic_update")
      .add_message_type<forced_rename>("forced_rename")
      .add_message_type<ghosted>("ghosted")
      .add_message_type<partition_switch>("partition_switch");
}

}  // namespace chat
