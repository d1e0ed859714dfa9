// In-process costs of the rules engine (Google Benchmark). Whole-process
// timing is tests/bench/whole_process.sh.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "heinrich/core/evaluator.hpp"
#include "heinrich/policy/holiday_file.hpp"
#include "heinrich/policy/policy.hpp"

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
  const HolidayRuleFile file = load_holiday_rules("kr-public-holidays", HEINRICH_SOURCE_DIR "/policies/default.toml");
  std::size_t count = 0;
  for (auto _ : state) {
    count = compute_holidays(file.rules, 2000, 2099).size();
    benchmark::DoNotOptimize(count);
  }
  state.counters["holidays"] = static_cast<double>(count);
}
BENCHMARK(bench_kr_holidays_100_years)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
