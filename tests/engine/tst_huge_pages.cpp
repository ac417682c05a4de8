// util/HugePages: large arrays are advised for transparent huge pages before their first write
// (the kernel's VMA flags in /proc/self/smaps show "hg" over the advised range), small ones and the
// unaligned ends are left alone, and the containers keep their contents and sizes; faultInParallel
// makes every page resident, some from another thread than the caller; hugeArray starts on a 2 MB
// boundary, advised from its first byte.
#include <QtTest>

#include <omp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "util/HugePages.h"

namespace {

// The line starting with `field` ("VmFlags:", "Rss:") of the mapping of /proc/self/smaps that
// contains `address`; empty if none. A mapping starts with a line "from-to perms offset dev inode
// [path]"; its fields follow as "Name: value" lines.
std::string smapsLineAt(const void* address, const std::string& field) {
    const auto at = reinterpret_cast<std::uintptr_t>(address);
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        const std::string first = line.substr(0, line.find(' '));
        const auto dash = first.find('-');
        if (dash != std::string::npos && first.find(':') == std::string::npos) {
            const std::uintptr_t from = std::stoull(first.substr(0, dash), nullptr, 16);
            const std::uintptr_t to = std::stoull(first.substr(dash + 1), nullptr, 16);
            inside = from <= at && at < to;
        } else if (inside && line.rfind(field, 0) == 0) {
            return line;
        }
    }
    return {};
}

std::string vmFlagsAt(const void* address) {
    return smapsLineAt(address, "VmFlags:");
}

// The Rss of the mapping that contains `address`, in kB; -1 if none.
long rssKbAt(const void* address) {
    const std::string line = smapsLineAt(address, "Rss:");
    return line.empty() ? -1 : std::stol(line.substr(4));
}

// Minor page faults of every thread of this process but the calling one (/proc/self/task/*/stat,
// field 10).
long faultsOfOtherThreads() {
    long total = 0;
    const std::string self = std::to_string(::gettid());
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        if (task.path().filename() == self) continue;
        std::ifstream stat(task.path() / "stat");
        std::string text((std::istreambuf_iterator<char>(stat)), {});
        const auto close = text.rfind(')');  // the command name may hold spaces
        if (close == std::string::npos) continue;
        std::istringstream fields(text.substr(close + 2));
        std::string field;
        for (int i = 3; i <= 10 && fields >> field; ++i) {
        }
        total += std::stol(field);
    }
    return total;
}

// A fresh anonymous mapping of `bytes`, unmapped on destruction (so that no earlier advice on
// reused heap memory can make a check pass or fail).
struct Mapping {
    explicit Mapping(std::size_t n) : bytes(n) {
        data = static_cast<char*>(
            ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    }
    ~Mapping() {
        if (data != MAP_FAILED) ::munmap(data, bytes);
    }
    std::size_t bytes;
    char* data;
};

bool advised(const void* address) {
    const std::string flags = vmFlagsAt(address);
    return flags.find(" hg") != std::string::npos;
}

constexpr std::size_t kMiB = std::size_t{1} << 20;

}  // namespace

class TestHugePages : public QObject {
    Q_OBJECT

private slots:
    void largeVectorsAreAdvisedBeforeTheirFirstWrite();
    void smallAndUnalignedRangesAreLeftAlone();
    void stringsKeepTheirContents();
    void faultInParallelTouchesEveryPageFromSeveralThreads();
    void hugeArraysStartOnA2MbBoundaryAndAreAdvisedThroughout();
};

void TestHugePages::largeVectorsAreAdvisedBeforeTheirFirstWrite() {
    if (vmFlagsAt(&kMiB).empty()) QSKIP("/proc/self/smaps has no VmFlags here");
    std::vector<std::uint32_t> v;
    lens::resizeHuge(v, 16 * kMiB / sizeof(std::uint32_t));
    QCOMPARE(v.size(), 16 * kMiB / sizeof(std::uint32_t));
    QCOMPARE(v.front(), 0u);  // value-initialised
    QCOMPARE(v.back(), 0u);
    QVERIFY2(advised(v.data() + v.size() / 2), vmFlagsAt(v.data() + v.size() / 2).c_str());

    std::vector<double> r;
    lens::reserveHuge(r, 8 * kMiB / sizeof(double));
    QVERIFY(r.empty());
    QVERIFY(r.capacity() >= 8 * kMiB / sizeof(double));
    QVERIFY(advised(r.data() + r.capacity() / 2));
}

void TestHugePages::smallAndUnalignedRangesAreLeftAlone() {
    // Less than two whole 2 MB pages inside the range: no advice (not worth splitting a mapping).
    Mapping small(3 * kMiB);
    QVERIFY(small.data != MAP_FAILED);
    lens::adviseHugePages(small.data, small.bytes);
    QVERIFY(!advised(small.data + small.bytes / 2));
    // A larger range is advised from its first 2 MB boundary to its last: the bytes before the
    // first boundary and after the last keep their flags.
    Mapping big(32 * kMiB);
    QVERIFY(big.data != MAP_FAILED);
    const char* inside = big.data + 4096;  // not aligned
    const auto from = reinterpret_cast<std::uintptr_t>(inside);
    const std::uintptr_t boundary = (from + 2 * kMiB - 1) & ~(2 * kMiB - 1);
    lens::adviseHugePages(inside, 24 * kMiB);
    QVERIFY(advised(reinterpret_cast<const void*>(boundary + kMiB)));
    QVERIFY(!advised(inside));                       // before the first boundary
    QVERIFY(!advised(big.data + big.bytes - 4096));  // past the range's end
}

void TestHugePages::stringsKeepTheirContents() {
    std::string s;
    lens::resizeHuge(s, 12 * kMiB);
    QCOMPARE(s.size(), 12 * kMiB);
    s.replace(5 * kMiB, 3, "abc");
    QCOMPARE(s.substr(5 * kMiB - 1, 5), std::string("\0abc\0", 5));
    QVERIFY(advised(s.data() + 6 * kMiB));
}

void TestHugePages::faultInParallelTouchesEveryPageFromSeveralThreads() {
    Mapping fresh(32 * kMiB);
    QVERIFY(fresh.data != MAP_FAILED);
    const long before = rssKbAt(fresh.data);
    if (before < 0) QSKIP("/proc/self/smaps has no Rss here");
    QCOMPARE(before, 0L);  // never written
    const int threads = omp_get_max_threads();
    omp_set_num_threads(2);
#pragma omp parallel
    {}  // the team exists before the count is taken
    const long othersBefore = faultsOfOtherThreads();
    lens::faultInParallel(fresh.data, fresh.bytes);
    const long othersAfter = faultsOfOtherThreads();
    omp_set_num_threads(threads);
    QCOMPARE(rssKbAt(fresh.data), static_cast<long>(fresh.bytes / 1024));  // every page
    QVERIFY2(othersAfter > othersBefore, "no page was faulted in by another thread");
    QCOMPARE(fresh.data[0], '\0');  // still zeros
    QCOMPARE(fresh.data[fresh.bytes - 1], '\0');
}

void TestHugePages::hugeArraysStartOnA2MbBoundaryAndAreAdvisedThroughout() {
    const lens::HugeArray<std::uint32_t> a = lens::hugeArray<std::uint32_t>(5 * kMiB + 3);
    QVERIFY(a);
    QCOMPARE(reinterpret_cast<std::uintptr_t>(a.get()) % (2 * kMiB), std::uintptr_t{0});
    a[0] = 1;
    a[5 * kMiB + 2] = 2;  // the whole requested size is usable
    QCOMPARE(a[0] + a[5 * kMiB + 2], 3u);
    if (vmFlagsAt(&kMiB).empty()) QSKIP("/proc/self/smaps has no VmFlags here");
    QVERIFY2(advised(a.get()), vmFlagsAt(a.get()).c_str());  // its first page too
}

QTEST_GUILESS_MAIN(TestHugePages)
#include "tst_huge_pages.moc"
