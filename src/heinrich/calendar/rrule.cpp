#include "heinrich/calendar/rrule.hpp"

#include <libical/ical.h>

#include "heinrich/core/duration.hpp"
#include "heinrich/core/error.hpp"

namespace heinrich {

struct RecurrenceRule::Impl {
  icalrecurrencetype rule;
};

namespace {

// A defence against rules that match almost nothing: libical would search
// far ahead for each occurrence.
constexpr int kMaxStepsPerExpansion = 2'000'000;

icaltimetype to_ical(LocalTime local) {
  using namespace std::chrono;
  const auto day = floor<std::chrono::days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  icaltimetype t = icaltime_null_time();
  t.year = int(ymd.year());
  t.month = int(unsigned(ymd.month()));
  t.day = int(unsigned(ymd.day()));
  t.hour = static_cast<int>(hms.hours().count());
  t.minute = static_cast<int>(hms.minutes().count());
  t.second = static_cast<int>(hms.seconds().count());
  t.is_date = 0;
  return t;
}

LocalTime from_ical(const icaltimetype& t) {
  return make_local(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day), t.hour, t.minute,
                    t.second);
}

struct IteratorDeleter {
  void operator()(icalrecur_iterator* it) const { icalrecur_iterator_free(it); }
};

}  // namespace

RecurrenceRule::RecurrenceRule(std::unique_ptr<Impl> impl, std::string text)
    : m_impl(std::move(impl)), m_text(std::move(text)) {}
RecurrenceRule::~RecurrenceRule() = default;
RecurrenceRule::RecurrenceRule(RecurrenceRule&&) noexcept = default;
RecurrenceRule& RecurrenceRule::operator=(RecurrenceRule&&) noexcept = default;

RecurrenceRule RecurrenceRule::parse(std::string_view text) {
  std::string owned(text);
  if (owned.rfind("RRULE:", 0) == 0) owned.erase(0, 6);
  if (owned.find("RSCALE") != std::string::npos)
    throw InputError("RRULE '" + owned + "': RSCALE (non-Gregorian recurrences) is not supported");
  icalerror_clear_errno();
  auto impl = std::make_unique<Impl>();
  impl->rule = icalrecurrencetype_from_string(owned.c_str());
  if (impl->rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
    icalerror_clear_errno();
    std::string why = "not a valid RFC 5545 recurrence rule";
    if (owned.find("COUNT") != std::string::npos && owned.find("UNTIL") != std::string::npos)
      why = "COUNT and UNTIL cannot be used together (RFC 5545 section 3.3.10)";
    else if (owned.find("FREQ=") == std::string::npos)
      why = "FREQ is required";
    throw InputError("invalid RRULE '" + owned + "': " + why);
  }
  // libical validates BY* combinations only when an iterator is made.
  std::unique_ptr<icalrecur_iterator, IteratorDeleter> probe(
      icalrecur_iterator_new(impl->rule, to_ical(make_local(2000, 1, 1))));
  if (!probe) {
    icalerror_clear_errno();
    throw InputError("invalid RRULE '" + owned + "': its parts contradict each other or never occur");
  }
  return RecurrenceRule(std::move(impl), owned);
}

bool RecurrenceRule::has_count() const { return m_impl->rule.count > 0; }
int RecurrenceRule::interval() const { return m_impl->rule.interval; }

void RecurrenceRule::expand(LocalTime dtstart, LocalTime from, LocalTime to,
                            const std::function<void(LocalTime)>& visit) const {
  std::unique_ptr<icalrecur_iterator, IteratorDeleter> it(icalrecur_iterator_new(m_impl->rule, to_ical(dtstart)));
  if (!it) return;
  // set_start cannot be used with COUNT: the count is relative to DTSTART.
  if (!has_count() && from > dtstart) icalrecur_iterator_set_start(it.get(), to_ical(from));
  for (int step = 0; step < kMaxStepsPerExpansion; ++step) {
    const icaltimetype next = icalrecur_iterator_next(it.get());
    if (icaltime_is_null_time(next)) return;
    const LocalTime local = from_ical(next);
    if (local >= to) return;
    if (local >= from) visit(local);
  }
}

void RRuleSchedule::occurrences(const Interval& query, std::vector<Occurrence>& out) const {
  // Local bounds widened by a day each way absorb any UTC offset.
  const LocalTime from = m_zone.to_local(query.start) - m_length - days(1);
  const LocalTime to = m_zone.to_local(query.end) + days(1);
  m_rule.expand(m_dtstart, from, to, [&](LocalTime local) {
    const Instant start = m_zone.to_instant(local);
    const Instant end =
        m_kind == LengthKind::wall_clock ? m_zone.to_instant(local + m_length) : start + m_length;
    const Interval span{start, end};
    if (span.overlaps(query)) out.push_back({span, {}, std::nullopt});
  });
}

std::string RRuleSchedule::describe() const {
  return "rrule \"" + m_rule.text() + "\" for " + format_duration(m_length) + " in " + m_zone.name();
}

}  // namespace heinrich
