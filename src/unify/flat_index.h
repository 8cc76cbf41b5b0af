// An open-addressing hash index over positions 0..n-1 of a caller's arrays, shared by source loading (duplicate keys),
// CustomerId assignment and evaluation, where a million keys are looked up. Not thread-safe while inserting; Find
// and Prefetch are const.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "util/error.h"

namespace cdmlake::unify {

// An open-addressing hash index over positions 0..n-1 of the caller's arrays: it stores a position and a hash
// fragment per slot and compares keys through the caller's equal(position). std::unordered_map allocates a node
// per entry and chases pointers; at a million keys that was most of the run time. The capacity is fixed at
// construction (load at most 2/3 for `capacity` keys).
class FlatIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  explicit FlatIndex(size_t capacity) : limit_(capacity) {
    size_t slots = 16;
    while (slots < capacity + capacity / 2 + 1) slots <<= 1;
    slots_.assign(slots, Slot{0, kNone});
    mask_ = slots - 1;
  }

  // The position of the key equal to the probe (equal(position) compares the key at position with it), or kNone.
  template <class Equal>
  uint32_t Find(uint64_t hash, const Equal& equal) const {
    const uint32_t fragment = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.position == kNone) return kNone;
      if (slot.fragment == fragment && equal(slot.position)) return slot.position;
    }
  }

  // Fetches the first slot of `hash` into the cache (for a lookup some keys later).
  void Prefetch(uint64_t hash) const { __builtin_prefetch(&slots_[hash & mask_]); }

  // Find, but inserts `position` (and returns it) when the key is absent.
  template <class Equal>
  uint32_t FindOrInsert(uint64_t hash, uint32_t position, const Equal& equal) {
    const uint32_t fragment = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.position == kNone) {
        if (++size_ > limit_) throw Error(ErrorKind::kInternal, "FlatIndex: more keys than its capacity");
        slot = Slot{fragment, position};
        return position;
      }
      if (slot.fragment == fragment && equal(slot.position)) return slot.position;
    }
  }

 private:
  struct Slot {
    uint32_t fragment;
    uint32_t position;
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  size_t limit_;
};

}  // namespace cdmlake::unify
