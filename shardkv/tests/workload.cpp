// The shared shardkv workload. The contract is in workload.h.
//
// Framework file: grading uses the original. Edit it only to debug.
#include "workload.h"

#include <fmt/format.h>

#include "grading/kvtest/server_group.h"

namespace shardkv {

Keys::Keys(int n, int value_len) {
  for (int i = 0; i < n; ++i) {
    ka.push_back(std::to_string(i));
    va.push_back(kvtest::RandString(value_len));
  }
}

void Keys::PutAll(Tester& t, Tester::Client& ck, kvtest::History* history) {
  for (std::size_t i = 0; i < ka.size(); ++i) t.Put(ck, ka[i], va[i], history, 0);
}

void Keys::CheckAll(Tester& t, Tester::Client& ck) {
  CheckFirst(t, ck, static_cast<int>(ka.size()));
}

void Keys::CheckFirst(Tester& t, Tester::Client& ck, int count) {
  for (int i = 0; i < count; ++i) t.Check(ck, ka[i], va[i]);
}

void Keys::CheckAndAppendAll(Tester& t, Tester::Client& ck, int value_len) {
  for (std::size_t i = 0; i < ka.size(); ++i) {
    t.Check(ck, ka[i], va[i]);
    const std::string x = kvtest::RandString(value_len);
    t.Append(ck, ka[i], x);
    va[i] += x;
  }
}

Appenders::Appenders(Tester& t, Keys& keys, int value_len, std::chrono::milliseconds pause,
                     kvtest::History* history)
    : clients_("appenders") {
  for (std::size_t i = 0; i < keys.ka.size(); ++i) {
    std::shared_ptr<Tester::Client> ck1 = t.MakeClient();
    clients_.Go(fmt::format("appender-{}", i),
                [this, &t, &keys, value_len, pause, history, i, ck1] {
                  while (!done_) {
                    const std::string x = kvtest::RandString(value_len);
                    t.Append(*ck1, keys.ka[i], x, history, static_cast<int>(i));
                    keys.va[i] += x;
                    if (pause.count() > 0) lab::sleep_for(pause);
                  }
                });
  }
}

// A test that fails before Stop() leaves the clients to the TaskScope, which cancels them.
Appenders::~Appenders() { done_ = true; }

void Appenders::Stop() {
  done_ = true;
  clients_.Wait();
}

}  // namespace shardkv
