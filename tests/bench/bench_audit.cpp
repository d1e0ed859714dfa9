// In-process costs of `heinrich audit` and `heinrich calendar` (Google
// Benchmark). Whole-process timing: tests/bench/audit_process.sh.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "heinrich/cli/audit.hpp"
#include "heinrich/policy/lint.hpp"
#include "heinrich/policy/plan.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/report/risk_calendar.hpp"

using namespace heinrich;

namespace {

const char* kDefault = HEINRICH_SOURCE_DIR "/policies/default.toml";
const char* kPlan = HEINRICH_SOURCE_DIR "/tests/data/plans/release-plan-200";

Instant kst(int y, unsigned m, unsigned d, int h = 0) {
  return Zone::get("Asia/Seoul").to_instant(make_local(y, m, d, h));
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Reading the 200-release plan and assessing every release, with the next
// safe start of each blocked one: what `audit --plan` does after start-up.
void bench_audit_plan_200(benchmark::State& state, const char* extension) {
  const Policy policy = load_policy_file(kDefault);
  const Interval range{kst(2026, 12, 14, 10), kst(2027, 12, 15)};
  for (auto _ : state) {
    const Plan plan = load_plan_file(std::string(kPlan) + extension, *policy.zone, range);
    auto report = cli::audit_plan(policy, plan, std::nullopt);
    benchmark::DoNotOptimize(report);
  }
}
BENCHMARK_CAPTURE(bench_audit_plan_200, csv, ".csv")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(bench_audit_plan_200, ics, ".ics")->Unit(benchmark::kMillisecond);

void bench_lint_default_policy(benchmark::State& state) {
  const std::string text = read(kDefault);
  for (auto _ : state) {
    const Policy policy = parse_policy(text, kDefault, {LoadMode::lenient});
    auto findings = lint_policy(policy, text, LintOptions{kst(2026, 12, 14, 10)});
    benchmark::DoNotOptimize(findings);
  }
}
BENCHMARK(bench_lint_default_policy)->Unit(benchmark::kMillisecond);

void bench_calendar_html_12_months(benchmark::State& state) {
  const Policy policy = load_policy_file(kDefault);
  RiskCalendarRequest request;
  request.first_month = Date{std::chrono::year{2027}, std::chrono::month{1}, std::chrono::day{1}};
  request.months = 12;
  request.environment = "prod";
  request.duration = policy.defaults.duration;
  request.watch = policy.defaults.watch;
  request.now = kst(2026, 12, 14, 10);
  for (auto _ : state) {
    RiskCalendar calendar = build_risk_calendar(policy.rules, *policy.zone, request);
    calendar.context.zone = policy.zone;
    calendar.context.policy_path = kDefault;
    const std::string html = render_calendar_html(calendar);
    benchmark::DoNotOptimize(html);
  }
}
BENCHMARK(bench_calendar_html_12_months)->Unit(benchmark::kMillisecond);

}  // namespace
BENCHMARK_MAIN();
