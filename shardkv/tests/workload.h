// What several shardkv tests share (6.824's shardkv/test_test.go): ten keys "0".."9" (one per
// shard) with random values, and clients that append to them while the test reconfigures.
//
// Framework file: grading uses the original. Edit it only to debug.
#ifndef SHARDKV_TESTS_WORKLOAD_H_
#define SHARDKV_TESTS_WORKLOAD_H_

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "labrpc/labrpc.h"
#include "shardkv/tester/tester.h"

namespace shardkv {

// Keys "0".."n-1" and their expected values; Put(ck) stores value_len random characters in
// each (recorded as client 0 in `history` unless it is null); CheckAll gets every key.
struct Keys {
  std::vector<std::string> ka;
  std::vector<std::string> va;

  Keys(int n, int value_len);
  void PutAll(Tester& t, Tester::Client& ck, kvtest::History* history = nullptr);
  void CheckAll(Tester& t, Tester::Client& ck);
  void CheckFirst(Tester& t, Tester::Client& ck, int count);
  // For each key: check its value, then append value_len random characters to it.
  void CheckAndAppendAll(Tester& t, Tester::Client& ck, int value_len);
};

// One client per key, each on its own Clerk, appending value_len random characters to its
// key (and to the expected value) with `pause` between Appends, until Stop(). With a history,
// every Append is recorded (client i for key i).
class Appenders {
 public:
  Appenders(Tester& t, Keys& keys, int value_len, std::chrono::milliseconds pause,
            kvtest::History* history = nullptr);
  ~Appenders();
  // Tells the clients to stop and waits until each has finished its last Append.
  void Stop();

 private:
  std::atomic<bool> done_{false};
  lab::TaskScope clients_;
};

}  // namespace shardkv

#endif  // SHARDKV_TESTS_WORKLOAD_H_
