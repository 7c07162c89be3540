/**
 * A binary min-heap over an explicit comparator. Internal to the planner: `planPass` owns every
 * heap it builds and never lets one escape, so the mutation stays invisible to callers.
 *
 * `from` heapifies in O(n); `push`, `pop` and `replaceTop` cost O(log n); `peek` O(1).
 */
export class Heap<A> {
  private readonly items: Array<A>

  private constructor(items: Array<A>, private readonly compare: (a: A, b: A) => number) {
    this.items = items
  }

  /** Builds a heap from `items` (taken over, not copied) in linear time. */
  static from<A>(items: Array<A>, compare: (a: A, b: A) => number): Heap<A> {
    const heap = new Heap(items, compare)
    for (let i = (items.length >> 1) - 1; i >= 0; i--) heap.siftDown(i)
    return heap
  }

  get size(): number {
    return this.items.length
  }

  peek(): A | undefined {
    return this.items[0]
  }

  push(item: A): void {
    this.items.push(item)
    this.siftUp(this.items.length - 1)
  }

  pop(): A | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (items.length > 0 && last !== undefined) {
      items[0] = last
      this.siftDown(0)
    }
    return top
  }

  /** Replaces the minimum with `item` (one sift instead of pop + push). */
  replaceTop(item: A): void {
    if (this.items.length === 0) {
      this.items.push(item)
      return
    }
    this.items[0] = item
    this.siftDown(0)
  }

  /** Restores heap order after the minimum's key grew in place (its owner changed state). */
  topChanged(): void {
    if (this.items.length > 1) this.siftDown(0)
  }

  private siftUp(start: number): void {
    const items = this.items
    const item = items[start] as A
    let i = start
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = items[parent] as A
      if (this.compare(item, p) >= 0) break
      items[i] = p
      i = parent
    }
    items[i] = item
  }

  private siftDown(start: number): void {
    const items = this.items
    const n = items.length
    const item = items[start] as A
    let i = start
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      let child = left
      if (right < n && this.compare(items[right] as A, items[left] as A) < 0) child = right
      const c = items[child] as A
      if (this.compare(c, item) >= 0) break
      items[i] = c
      i = child
    }
    items[i] = item
  }
}
