// lab::Chan<T>: Go channels for lab tasks.
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   lab::Chan<ApplyMsg> apply_ch;          // unbuffered: make(chan ApplyMsg)
//   lab::Chan<int> done(10);               // buffered:   make(chan int, 10)
//   apply_ch.send(msg);                    // apply_ch <- msg
//   std::optional<ApplyMsg> m = apply_ch.recv();   // m, ok := <-apply_ch  (nullopt: closed)
//   if (auto v = done.try_recv()) { ... } // select { case v := <-done: ... default: }
//
// Semantics (as Go):
//   - send blocks until a receiver takes the value (unbuffered) or the buffer has room.
//   - recv blocks until a value is available; once the channel is closed and drained it
//     returns std::nullopt immediately, forever.
//   - send on a closed channel, closing twice, and a send blocked when the channel is closed
//     throw lab::ChanClosed (Go panics).
//   - Waiters are served FIFO. send, recv and recv_for are blocking points (lab::Cancelled);
//     try_send, try_recv, close and size never block.
// A Chan must outlive every task blocked on it (declare it before a TaskScope that uses it).
#ifndef LABRPC_RUNTIME_CHAN_H_
#define LABRPC_RUNTIME_CHAN_H_

#include <algorithm>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "labrpc/runtime/park.h"
#include "labrpc/runtime/runtime.h"

namespace lab {

class ChanClosed : public std::logic_error {
 public:
  ChanClosed() : std::logic_error("send on closed channel, or close of closed channel") {}
};

template <class T>
class Chan {
 public:
  explicit Chan(std::size_t capacity = 0) : capacity_(capacity), id_(detail::NextObjectId()) {}
  Chan(const Chan&) = delete;
  Chan& operator=(const Chan&) = delete;

  void send(T value) {
    detail::CancellationPoint();
    std::unique_lock lock(internal_);
    if (closed_) throw ChanClosed();
    if (!receivers_.empty()) {
      RecvWaiter* r = receivers_.front();
      receivers_.pop_front();
      *r->slot = std::move(value);
      Claim(r);
      return;
    }
    if (buffer_.size() < capacity_) {
      buffer_.push_back(std::move(value));
      return;
    }
    SendWaiter w;
    w.task = detail::CurrentTask();
    w.value = &value;
    senders_.push_back(&w);
    const detail::WakeReason reason =
        detail::Park(internal_, {"chan send", id_, nullptr}, TimePoint::max(), true);
    if (!w.claimed) {
      Remove(senders_, &w);
      (void)reason;
      detail::ThrowCancelled();  // the only way to wake unclaimed without a deadline
    }
    if (w.closed) throw ChanClosed();
  }

  std::optional<T> recv() { return RecvUntil(TimePoint::max()); }

  // Like recv, but gives up at the timeout and returns std::nullopt (as it does when closed;
  // check closed() to tell the two apart).
  template <class Rep, class Period>
  std::optional<T> recv_for(std::chrono::duration<Rep, Period> timeout) {
    return RecvUntil(now() + std::chrono::duration_cast<Duration>(timeout));
  }

  bool try_send(T value) {
    std::unique_lock lock(internal_);
    if (closed_) throw ChanClosed();
    if (!receivers_.empty()) {
      RecvWaiter* r = receivers_.front();
      receivers_.pop_front();
      *r->slot = std::move(value);
      Claim(r);
      return true;
    }
    if (buffer_.size() < capacity_) {
      buffer_.push_back(std::move(value));
      return true;
    }
    return false;
  }

  std::optional<T> try_recv() {
    std::unique_lock lock(internal_);
    return TakeReady();
  }

  void close() {
    std::unique_lock lock(internal_);
    if (closed_) throw ChanClosed();
    closed_ = true;
    while (!receivers_.empty()) {  // their slots stay empty: "closed"
      RecvWaiter* r = receivers_.front();
      receivers_.pop_front();
      Claim(r);
    }
    while (!senders_.empty()) {
      SendWaiter* s = senders_.front();
      senders_.pop_front();
      s->closed = true;
      Claim(s);
    }
  }

  bool closed() const {
    std::unique_lock lock(internal_);
    return closed_;
  }
  std::size_t size() const {
    std::unique_lock lock(internal_);
    return buffer_.size();
  }
  std::size_t capacity() const { return capacity_; }

 private:
  struct RecvWaiter : detail::Waiter {
    std::optional<T>* slot = nullptr;
  };
  struct SendWaiter : detail::Waiter {
    T* value = nullptr;
    bool closed = false;
  };

  static void Claim(detail::Waiter* w) {
    w->claimed = true;
    detail::Wake(w->task);
  }
  template <class W>
  static void Remove(std::deque<W*>& list, W* w) {
    list.erase(std::find(list.begin(), list.end(), w));
  }

  // A value that can be taken without blocking, from the buffer or straight from a blocked
  // sender; refills the buffer from the first blocked sender. REQUIRES: internal_ held.
  std::optional<T> TakeReady() {
    std::optional<T> out;
    if (!buffer_.empty()) {
      out = std::move(buffer_.front());
      buffer_.pop_front();
      if (!senders_.empty()) {
        SendWaiter* s = senders_.front();
        senders_.pop_front();
        buffer_.push_back(std::move(*s->value));
        Claim(s);
      }
    } else if (!senders_.empty()) {
      SendWaiter* s = senders_.front();
      senders_.pop_front();
      out = std::move(*s->value);
      Claim(s);
    }
    return out;
  }

  std::optional<T> RecvUntil(TimePoint deadline) {
    detail::CancellationPoint();
    std::unique_lock lock(internal_);
    if (std::optional<T> ready = TakeReady()) return ready;
    if (closed_) return std::nullopt;
    std::optional<T> slot;
    RecvWaiter w;
    w.task = detail::CurrentTask();
    w.slot = &slot;
    receivers_.push_back(&w);
    const detail::WakeReason reason =
        detail::Park(internal_, {"chan recv", id_, nullptr}, deadline, true);
    if (w.claimed) return slot;
    Remove(receivers_, &w);
    if (reason == detail::WakeReason::kCancelled) detail::ThrowCancelled();
    return std::nullopt;  // timed out
  }

  const std::size_t capacity_;
  const std::uint64_t id_;
  mutable detail::InternalLock internal_;
  // State below is protected by internal_.
  // Invariant: receivers_ is non-empty only when buffer_ is empty and no sender waits.
  // Invariant: senders_ is non-empty only when buffer_ is full.
  std::deque<T> buffer_;
  std::deque<RecvWaiter*> receivers_;
  std::deque<SendWaiter*> senders_;
  bool closed_ = false;
};

}  // namespace lab

#endif  // LABRPC_RUNTIME_CHAN_H_
