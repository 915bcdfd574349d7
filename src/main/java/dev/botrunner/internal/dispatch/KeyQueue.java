package dev.botrunner.internal.dispatch;

/**
 * A minimal FIFO ring buffer holding the tasks queued on one key.
 *
 * <p>Not thread-safe: every access happens under the owning {@link KeyedSerialScheduler}'s lock. It
 * exists instead of {@link java.util.ArrayDeque} because it exposes its capacity, which lets the
 * scheduler recycle small empty queues (keys go idle and come back constantly under load) without
 * keeping the large backing array of a key that once had a long backlog.
 *
 * @param <E> element type
 */
final class KeyQueue<E> {

  /** Most keys hold one or two tasks at a time; a power of two keeps the index math a mask. */
  private static final int INITIAL_CAPACITY = 4;

  /** Queues that grew beyond this are dropped rather than recycled, so the pool stays small. */
  private static final int MAX_RECYCLED_CAPACITY = 16;

  private Object[] items = new Object[INITIAL_CAPACITY];
  private int head;
  private int size;

  /** Appends {@code e} at the tail. */
  void addLast(E e) {
    if (size == items.length) {
      grow();
    }
    items[(head + size) & (items.length - 1)] = e;
    size++;
  }

  /** Removes and returns the head, or {@code null} if empty. */
  @SuppressWarnings("unchecked")
  E pollFirst() {
    if (size == 0) {
      return null;
    }
    E e = (E) items[head];
    items[head] = null; // let the finished task be collected
    head = (head + 1) & (items.length - 1);
    size--;
    return e;
  }

  /** Returns the head without removing it, or {@code null} if empty. */
  @SuppressWarnings("unchecked")
  E peekFirst() {
    return size == 0 ? null : (E) items[head];
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** Whether this (empty) queue is small enough to be worth keeping for reuse. */
  boolean recyclable() {
    return size == 0 && items.length <= MAX_RECYCLED_CAPACITY;
  }

  private void grow() {
    Object[] bigger = new Object[items.length << 1];
    // Unroll the ring so the new buffer starts at index 0.
    int firstPart = items.length - head;
    System.arraycopy(items, head, bigger, 0, firstPart);
    System.arraycopy(items, 0, bigger, firstPart, head);
    items = bigger;
    head = 0;
  }
}
