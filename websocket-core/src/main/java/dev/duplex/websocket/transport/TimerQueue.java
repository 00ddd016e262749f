package dev.duplex.websocket.transport;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A binary min-heap of {@link ScheduledTask}s ordered by deadline. Each task knows its index, so
 * a cancelled task leaves in O(log n) instead of lingering until its deadline (thousands of idle
 * connections each hold a timer). Loop thread only.
 */
final class TimerQueue {

    private ScheduledTask[] heap = new ScheduledTask[16];
    private int size;
    private long sequence;

    int size() {
        return size;
    }

    @Nullable
    ScheduledTask peek() {
        return size == 0 ? null : heap[0];
    }

    void add(ScheduledTask task) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        task.sequence = sequence++;
        task.heapIndex = size;
        heap[size++] = task;
        siftUp(task.heapIndex);
    }

    /** Removes {@code task} if it is in this queue. */
    void remove(ScheduledTask task) {
        int i = task.heapIndex;
        if (i < 0 || i >= size || heap[i] != task) {
            return;
        }
        task.heapIndex = -1;
        ScheduledTask last = heap[--size];
        heap[size] = null;
        if (i != size) {
            heap[i] = last;
            last.heapIndex = i;
            siftDown(i);
            siftUp(last.heapIndex);
        }
        shrinkIfSparse();
    }

    /** Removes and returns the earliest task. */
    ScheduledTask poll() {
        ScheduledTask first = heap[0];
        remove(first);
        return first;
    }

    private void siftUp(int i) {
        ScheduledTask t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            ScheduledTask p = heap[parent];
            if (!t.isBefore(p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        ScheduledTask t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            ScheduledTask c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].isBefore(c)) {
                child = right;
                c = heap[right];
            }
            if (!c.isBefore(t)) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    // After a burst (10,000 handshake timers) the array would otherwise stay large for good.
    private void shrinkIfSparse() {
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }
}
