#pragma once
// Transparent huge pages for large arrays written once.
//
// Where the kernel backs anonymous memory with 4 KB pages unless asked (THP "madvise", the
// default of several distributions and of this project's CI machine), a freshly allocated array
// of hundreds of MB costs one page fault per 4 KB when it is first written: measured on a VM here,
// 10 us a fault, i.e. 0.4 GB/s, slower than parsing the text the array comes from. With 2 MB pages
// the same array is faulted in at memset speed (15-30 GB/s). Where THP is "always" or "never"
// these calls change nothing.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace lens {

// Asks the kernel to back the 2 MB-aligned part of [data, data + bytes) with huge pages. Call it
// before the memory is first written (pages already touched keep their 4 KB).
void adviseHugePages(const void* data, std::size_t bytes);

// Reserves room for n elements of an empty container with its pages advised (see above).
template <class Container>
void reserveHuge(Container& c, std::size_t n) {
    c.reserve(n);
    adviseHugePages(c.data(), n * sizeof(typename Container::value_type));
}

// Faults in the pages of [data, data + bytes) from every OpenMP thread, each a share, so that
// the kernel's clearing of fresh pages (about as long as the memset that follows) is parallel.
// Each share is populated in one system call where the kernel allows (MADV_POPULATE_WRITE,
// Linux 5.14): the 4 KB pages at the ends of a range that huge pages do not cover would
// otherwise cost a fault each, ~11 us in a VM. Ranges below 8 MB: by the calling thread alone.
// For memory not yet written: where the kernel lacks that call, a zero is written per page.
void faultInParallel(void* data, std::size_t bytes);

// Reserves room for n elements of an empty container, advised and faulted in (faultInParallel):
// for one filled by push_back next, whose fresh pages would each cost a fault.
template <class Container>
void reservePopulated(Container& c, std::size_t n) {
    reserveHuge(c, n);
    faultInParallel(c.data(), n * sizeof(typename Container::value_type));
}

// Sizes an empty container to n elements, advised and faulted in by every thread; the
// zero-filling resize then writes pages that are already there.
template <class Container>
void resizeHuge(Container& c, std::size_t n) {
    reservePopulated(c, n);
    c.resize(n);
}

struct FreeHugeArray {
    void operator()(void* p) const;
};
template <class T>
using HugeArray = std::unique_ptr<T[], FreeHugeArray>;

// Bytes on a 2 MB boundary, advised for huge pages, uninitialised: all of them can be huge
// pages, where memory from malloc starts anywhere in a 2 MB page and its first part (1 MB on
// average) takes 4 KB pages. Throws std::bad_alloc.
void* allocateHuge(std::size_t bytes);

// An array of n uninitialised T (trivial types) in huge pages (allocateHuge).
template <class T>
HugeArray<T> hugeArray(std::size_t n) {
    return HugeArray<T>(static_cast<T*>(allocateHuge(n * sizeof(T))));
}

}  // namespace lens
