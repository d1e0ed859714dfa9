// In-process costs of the rules engine (Google Benchmark). Whole-process
// timing is tests/bench/whole_process.sh.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "heinrich/calendar/ics.hpp"
#include "heinrich/calendar/ics_cache.hpp"
#include "heinrich/core/evaluator.hpp"
#include "heinrich/policy/holiday_file.hpp"
#include "heinrich/policy/policy.hpp"
#include "support/big_calendar.hpp"

using namespace heinrich;

namespace {

Instant kst(int y, unsigned m, unsigned d, int h = 0) {
  return Zone::get("Asia/Seoul").to_instant(make_local(y, m, d, h));
}

// 200 windows of every schedule kind, spread over the week.
std::string policy_with_200_windows() {
  std::string text = "version = 1\ntimezone = \"Asia/Seoul\"\n";
  static const char* days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const char* rdays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  for (int i = 0; i < 200; ++i) {
    const int hour = (i * 7) % 24;
    switch (i % 4) {
      case 0:
        text += fmt::format(
            "[[window]]\nname = \"w{}\"\ndays = [\"{}\"]\ntime = \"{:02}:00-{:02}:30\"\naction = \"{}\"\n", i,
            days[i % 7], hour, hour, i % 8 == 0 ? "block" : "warn");
        break;
      case 1:
        text += fmt::format("[[window]]\nname = \"w{}\"\ncron = \"{} {} * * {}\"\nduration = \"45m\"\n", i,
                            i % 60, hour, (i / 4) % 7);
        break;
      case 2:
        text += fmt::format(
            "[[window]]\nname = \"w{}\"\nrrule = \"FREQ=WEEKLY;BYDAY={}\"\ntime = "
            "\"{:02}:10-{:02}:40\"\naction = \"warn\"\n",
            i, rdays[i % 7], hour, hour);
        break;
      default:
        text += fmt::format(
            "[[factor]]\nname = \"w{}\"\ndays = [\"{}\"]\ntime = \"{:02}:00-{:02}:50\"\nrisk = {}\n", i,
            days[(i / 3) % 7], hour, hour, 5 + i % 30);
        break;
    }
  }
  return text;
}

void bench_check_default_policy(benchmark::State& state) {
  const Policy policy = load_policy_file(HEINRICH_SOURCE_DIR "/policies/default.toml");
  const Instant at = kst(2026, 11, 27, 16);
  for (auto _ : state) {
    auto result = evaluate(policy.rules, Request{at, minutes(30), hours(2), std::string("prod")});
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(bench_check_default_policy)->Unit(benchmark::kMicrosecond);

void bench_load_default_policy(benchmark::State& state) {
  for (auto _ : state) {
    auto policy = load_policy_file(HEINRICH_SOURCE_DIR "/policies/default.toml");
    benchmark::DoNotOptimize(policy);
  }
}
BENCHMARK(bench_load_default_policy)->Unit(benchmark::kMicrosecond);

void bench_next_90_days_200_windows(benchmark::State& state) {
  const Policy policy = parse_policy(policy_with_200_windows(), "bench.toml");
  const Instant after = kst(2026, 11, 26, 9);
  std::size_t found = 0;
  for (auto _ : state) {
    auto windows =
        find_safe_windows(policy.rules, NextRequest{after, hours(1), hours(2), std::nullopt, days(90), 1000});
    found = windows.size();
    benchmark::DoNotOptimize(windows);
  }
  state.counters["windows_found"] = static_cast<double>(found);
}
BENCHMARK(bench_next_90_days_200_windows)->Unit(benchmark::kMillisecond);

// Korean holidays for 100 years from the rules, lunar dates through ICU
// included (a fresh computation each time: nothing cached across runs).
void bench_kr_holidays_100_years(benchmark::State& state) {
  const HolidayRuleFile file =
      load_holiday_rules("kr-public-holidays", HEINRICH_SOURCE_DIR "/policies/default.toml");
  std::size_t count = 0;
  for (auto _ : state) {
    count = compute_holidays(file.rules, 2000, 2099).size();
    benchmark::DoNotOptimize(count);
  }
  state.counters["holidays"] = static_cast<double>(count);
}
BENCHMARK(bench_kr_holidays_100_years)->Unit(benchmark::kMillisecond);

// The 10,000-event calendar of the ICS tests, on disk in a fresh directory
// with an empty cache directory beside it.
struct BigCalendar {
  std::filesystem::path directory;
  std::filesystem::path ics;
  BigCalendar() {
    directory = std::filesystem::temp_directory_path() / "heinrich-bench-ics";
    std::filesystem::remove_all(directory);
    std::filesystem::create_directories(directory);
    ics = directory / "big.ics";
    std::ofstream(ics, std::ios::binary) << heinrich::test::make_big_calendar(10'000);
  }
  ~BigCalendar() { std::filesystem::remove_all(directory); }
  BigCalendar(const BigCalendar&) = delete;
  BigCalendar& operator=(const BigCalendar&) = delete;
};

// Reading and parsing with libical, as every run did before the cache.
void bench_ics_10k_parse(benchmark::State& state) {
  const BigCalendar calendar;
  for (auto _ : state) {
    auto loaded = IcsCalendar::load_file(calendar.ics.string(), Zone::get("Asia/Seoul"));
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(bench_ics_10k_parse)->Unit(benchmark::kMillisecond);

// Reading the file, comparing it with the entry, checking the entry and
// rebuilding the events from it: what a run costs once the cache is warm.
void bench_ics_10k_cached(benchmark::State& state) {
  const BigCalendar calendar;
  const IcsCache cache(calendar.directory / "cache");
  (void)IcsCalendar::load_file(calendar.ics.string(), Zone::get("Asia/Seoul"), &cache);
  for (auto _ : state) {
    auto loaded = IcsCalendar::load_file(calendar.ics.string(), Zone::get("Asia/Seoul"), &cache);
    benchmark::DoNotOptimize(loaded);
  }
  if (cache.counters().hits == 0) state.SkipWithError("the cache never hit");
}
BENCHMARK(bench_ics_10k_cached)->Unit(benchmark::kMillisecond);

// The first run after a calendar changes: parse, then write the entry.
void bench_ics_10k_parse_and_store(benchmark::State& state) {
  const BigCalendar calendar;
  for (auto _ : state) {
    const IcsCache cache(calendar.directory / "cache");
    std::filesystem::remove_all(calendar.directory / "cache");
    auto loaded = IcsCalendar::load_file(calendar.ics.string(), Zone::get("Asia/Seoul"), &cache);
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(bench_ics_10k_parse_and_store)->Unit(benchmark::kMillisecond);

// A one-day query over the 10,000 events, as `check` asks.
void bench_ics_10k_one_day_query(benchmark::State& state) {
  const BigCalendar calendar;
  const auto loaded = IcsCalendar::load_file(calendar.ics.string(), Zone::get("Asia/Seoul"));
  const Interval day{kst(2026, 3, 3), kst(2026, 3, 4)};
  std::vector<Occurrence> found;
  for (auto _ : state) {
    found.clear();
    loaded->occurrences(day, found);
    benchmark::DoNotOptimize(found);
  }
  state.counters["instances"] = static_cast<double>(found.size());
}
BENCHMARK(bench_ics_10k_one_day_query)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
