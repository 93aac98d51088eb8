// GarbageSender: attacks the coordinator's socket with bad messages while a job runs.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// In rounds until stopped, it connects to the socket and sends, one scenario per connection:
// random bytes; a header announcing a frame over the size limit; a frame cut short by a close;
// a frame that stalls half-way (kept open); an empty frame; JSON that does not parse; JSON
// that is not an object; a request without a method; a request for an unknown method; a
// request whose arguments do not decode for a registered method; a frame sent one byte at a
// time; two requests in one write; a request with invalid UTF-8.
//
// The RPC layer's contract (mapreduce/framework/rpc_server.h) says what must come back: an
// error reply for every well-framed bad request (and the connection stays usable), an error
// reply or a close for an oversized frame. Anything else is a violation. When the coordinator
// goes away (the job finished) the sender stops quietly.
#ifndef MAPREDUCE_TESTS_GARBAGE_H_
#define MAPREDUCE_TESTS_GARBAGE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mr::testing {

class GarbageSender {
 public:
  struct Report {
    int rounds = 0;                   // complete rounds of all scenarios
    std::map<std::string, int> runs;  // scenario name -> times it ran to its end
    int error_replies = 0;            // error replies received, as the contract requires
    std::vector<std::string> violations;
  };

  GarbageSender(std::string socket_path, std::uint64_t seed);
  ~GarbageSender();  // stops
  GarbageSender(const GarbageSender&) = delete;
  GarbageSender& operator=(const GarbageSender&) = delete;

  void Start();
  // Stops the thread and closes every connection it holds open.
  void Stop();
  Report report() const;  // REQUIRES: stopped

 private:
  void Loop();

  const std::string socket_path_;
  const std::uint64_t seed_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  Report report_;  // written by the thread, read after Stop
};

}  // namespace mr::testing

#endif  // MAPREDUCE_TESTS_GARBAGE_H_
