#include "labrpc/runtime/real_timers.h"

namespace lab::detail {

RealTimers::RealTimers(int threads) : work_(boost::asio::make_work_guard(io_)) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

RealTimers::~RealTimers() {
  // No timer is left (each task destroyed its own), so once the work guard is gone run()
  // returns after the last withdrawn callback has been delivered as cancelled.
  work_.reset();
  for (std::thread& t : threads_) t.join();
}

}  // namespace lab::detail
