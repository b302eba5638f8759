#include "storage/password_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <deque>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "actors/chat_error.hpp"
#include "storage/hash_slots.hpp"

namespace chat::storage {
namespace {

// One hashing thread: a detached actor that serves one job at a time.
using password_worker_actor = password_pool_actor;

// `index` only names the worker in logs; it also spares CAF 0.17 spawning a
// function actor without arguments, which dereferences an empty argument
// tuple (UBSan reports it, caf/detail/init_fun_factory.hpp).
password_worker_actor::behavior_type password_worker(std::size_t index) {
  return {
      [index](const hash_job& job) -> caf::result<std::string> {
        auto hash = run_hash_job(job);
        if (!hash) {
          spdlog::warn("password worker {}: no hash computed", index);
          return std::move(hash.error());
        }
        return std::move(*hash);
      },
      [](const verify_job& job) { return verify_password(job.hash, job.password); },
  };
}

// A job admitted to the pool, waiting for a worker: `start` sends it to the
// worker and delivers the answer to whoever asked.
struct waiting_job {
  std::string network;
  std::function<void(const password_worker_actor&)> start;
};

struct pool_state {
  std::vector<password_worker_actor> workers;  // every worker, to stop them with the pool
  std::vector<password_worker_actor> idle;
  std::deque<waiting_job> waiting;
  hash_slots slots{1};
  static inline const char* name = "password_pool";
};

using pool_pointer = password_pool_actor::stateful_pointer<pool_state>;

void dispatch(pool_pointer self) {
  auto& st = self->state;
  while (!st.idle.empty() && !st.waiting.empty()) {
    auto worker = st.idle.back();
    st.idle.pop_back();
    auto job = std::move(st.waiting.front());
    st.waiting.pop_front();
    job.start(worker);
  }
}

// A worker finished a job of `network`: its slot and the worker are free again.
void finished(pool_pointer self, const password_worker_actor& worker, const std::string& network) {
  self->state.slots.release(network);
  self->state.idle.push_back(worker);
  dispatch(self);
}

// Admits a job or says why not. The refusal is logged at debug: under a flood
// it happens for every attempt, and the connection log already counts them.
bool admit(pool_pointer self, const std::string& network) {
  auto refusal = self->state.slots.admit(network);
  if (refusal == hash_refusal::none) return true;
  spdlog::debug("password pool: refused a job ({})",
                refusal == hash_refusal::full ? "queue full" : "its network has one in flight");
  return false;
}

// Queues `job`; its reply goes to `promise` once a worker has done it.
template <class Job, class Reply>
void enqueue(pool_pointer self, Job job, caf::typed_response_promise<Reply> promise) {
  auto network = job.network;
  self->state.waiting.push_back(waiting_job{
      network, [self, job = std::move(job), promise](const password_worker_actor& worker) mutable {
        self->request(worker, caf::infinite, job)
            .then(
                [self, worker, promise, network = job.network](Reply& reply) mutable {
                  promise.deliver(std::move(reply));
                  finished(self, worker, network);
                },
                [self, worker, promise, network = job.network](caf::error& err) mutable {
                  spdlog::warn("password pool: a job failed: {}", self->system().render(err));
                  promise.deliver(make_error(error_code::unavailable));
                  finished(self, worker, network);
                });
      }});
  dispatch(self);
}

password_pool_actor::behavior_type password_pool(pool_pointer self,
                                                 password_pool_settings settings) {
  auto threads = settings.threads > 0 ? settings.threads : default_hash_threads();
  self->state.slots = hash_slots{threads + settings.queue};
  for (std::size_t i = 0; i < threads; ++i) {
    auto worker = self->system().spawn<caf::detached>(password_worker, i);
    self->state.workers.push_back(worker);
    self->state.idle.push_back(worker);
  }
  // The workers are not linked: a pool that ends for any reason stops them.
  self->attach_functor([workers = self->state.workers] {
    for (auto& worker : workers) caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
  });
  return {
      [self](hash_job& job) -> caf::result<std::string> {
        if (!admit(self, job.network)) return make_error(error_code::unavailable);
        auto promise = self->make_response_promise<std::string>();
        enqueue(self, std::move(job), promise);
        return promise;
      },
      [self](verify_job& job) -> caf::result<bool> {
        if (!admit(self, job.network)) return make_error(error_code::unavailable);
        auto promise = self->make_response_promise<bool>();
        enqueue(self, std::move(job), promise);
        return promise;
      },
  };
}

}  // namespace

std::size_t default_hash_threads() {
  auto cores = static_cast<std::size_t>(std::thread::hardware_concurrency());
  return cores > 1 ? cores - 1 : 1;
}

password_pool_actor spawn_password_pool(caf::actor_system& sys,
                                        const password_pool_settings& settings) {
  return sys.spawn(password_pool, settings);
}

}  // namespace chat::storage
