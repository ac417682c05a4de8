#pragma once
// Test executables hold several test classes (one per tests/<kind>/tst_*.cpp) to save a link and a
// moc pass per test; ctest still runs one class per process: `<group> tst_name [QtTest options]`.
// This header is force-included ahead of every test source (it is the last entry of the test
// precompiled header, see tests/CMakeLists.txt), so a test file keeps its usual
// QTEST_MAIN / QTEST_GUILESS_MAIN / QTEST_APPLESS_MAIN line: instead of defining main() it
// registers the same body under the file's name (tst_als.cpp -> "tst_als") and TestMain.cpp
// dispatches. The two names it defines carry the class name, so that several test files can share
// one translation unit (unity build); __FILE__ still names each test's own file there (the unity
// source #includes the test files).
#include <QtTest>

namespace lens::test {

using TestMainFunction = int (*)(int argc, char* argv[]);

// Registers a test's main body under the base name of `sourceFile`; returns true (for a static).
bool registerTestMain(const char* sourceFile, TestMainFunction function);

}  // namespace lens::test

#undef QTEST_MAIN_WRAPPER
#define QTEST_MAIN_WRAPPER(TestObject, ...)                                      \
    namespace {                                                                  \
    int lensAtlasTestMain_##TestObject(int argc, char* argv[]) {                 \
        QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();       \
        __VA_ARGS__                                                              \
        TestObject tc;                                                           \
        QTEST_SET_MAIN_SOURCE_PATH                                               \
        return QTest::qExec(&tc, argc, argv);                                    \
    }                                                                            \
    [[maybe_unused]] const bool lensAtlasTestRegistered_##TestObject =           \
        lens::test::registerTestMain(__FILE__, &lensAtlasTestMain_##TestObject); \
    }
