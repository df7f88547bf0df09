package io.crmanalytics.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A realistic CRM history of {@value #DAYS} days ending at {@code end} (exclusive, 00:00 UTC), as events
 * in the contract's wire format: daily ad spend of six channels, site visits, leads and their first
 * responses, qualification, deals moving through two pipelines with drop-off, delays, reassignments and
 * the odd step back or reopening, payments with repeat customers, calls, meetings, messages, tasks (some
 * overdue) and support tickets with ratings.
 *
 * <p>The same seed, scale and end give the same events with the same eventIds ({@code demo-1},
 * {@code demo-2}, ...): everything is drawn from one seeded {@link SplittableRandom}, never from the
 * clock. Events are produced lead by lead (a lead's whole story at once), so they are ordered by day
 * but not by instant, like a CRM export that arrives late; memory stays constant however large the
 * scale. Events that would fall on or after {@code end} are left out, so recent deals are still open.
 *
 * <p>Volume is linear in scale: about {@link #approximateEvents(double) 2,200 + 48,400 × scale} events,
 * i.e. ~50,000 per unit (49,778 at scale 1 with seed 42: ~3,000 leads, ~1,200 deals, ~15,700 visits,
 * ~700 tickets); the ~1,770 spend events are one per channel and campaign a day at any scale (their
 * amounts scale). Leads are attributed by {@code channel}, by {@code utm} only
 * (map {@link #UTM_SOURCES}) or by {@code trackingNumber} only (map {@link #TRACKING_NUMBERS}); ~6%
 * carry nothing and stay {@code unknown}. CRM events are stamped in Moscow time (+03:00), spend and
 * visits in UTC (Z).
 */
public final class DemoGenerator implements Iterator<ObjectNode> {

    public static final int DAYS = 182;

    /** The channel mappings the demo data assumes (the body of {@code PUT /api/v1/channel-mappings}). */
    public static final Map<String, String> UTM_SOURCES =
            Map.of("yandex", "Yandex Direct", "google", "Google Ads", "vk", "VK Ads");
    public static final Map<String, String> TRACKING_NUMBERS =
            Map.of("+74951110001", "Yandex Direct", "+74952220002", "Radio", "+74953330003", "SEO");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;
    private static final long MSK = 3 * HOUR;
    private static final double LEADS_PER_DAY = 16.5;
    private static final double VISITS_PER_DAY = 77;
    private static final double TICKETS_PER_DAY = 3.5;

    private record Channel(String name, double leadShare, String utmSource, String utmMedium, String trackingNumber,
                           double trackingShare, List<String> campaigns, long dailySpend, boolean weekdaysOnly,
                           double quality) {
    }

    private static final List<Channel> CHANNELS = List.of(
            new Channel("Yandex Direct", 0.30, "yandex", "cpc", "+74951110001", 0.12,
                    List.of("brand", "search", "retargeting"), 18_000, false, 1.0),
            new Channel("Google Ads", 0.12, "google", "cpc", null, 0, List.of("search", "performance-max"),
                    7_000, false, 0.95),
            new Channel("VK Ads", 0.14, "vk", "cpm", null, 0, List.of("lookalike", "promo-posts"), 6_000, false, 0.7),
            new Channel("Radio", 0.09, null, null, "+74952220002", 0.8, List.of(), 14_000, true, 0.85),
            new Channel("SEO", 0.17, null, null, "+74953330003", 0.3, List.of(), 3_500, false, 1.05),
            new Channel("Referral", 0.12, null, null, null, 0, List.of("partners"), 1_500, false, 1.4));

    /** {@code responseMinutes}: median time to the first response; {@code weight}: share of new leads. */
    private record Manager(String id, double responseMinutes, double skill, double weight, int fromDay,
                           boolean b2b) {
    }

    private static final List<Manager> MANAGERS = List.of(
            new Manager("Иван Петров", 12, 1.0, 1.0, 0, false),
            new Manager("Мария Смирнова", 6, 1.25, 1.0, 0, false),
            new Manager("Алексей Кузнецов", 20, 1.1, 0.4, 0, true),
            new Manager("Ольга Соколова", 15, 1.15, 0.4, 0, true),
            new Manager("Дмитрий Попов", 25, 0.9, 1.0, 0, false),
            new Manager("Елена Васильева", 10, 1.0, 1.0, 0, false),
            new Manager("Сергей Новиков", 90, 0.75, 1.3, 0, false),
            // joins two months in: shows up in manager load only from then
            new Manager("Анна Морозова", 18, 0.95, 1.0, 60, false));
    private static final List<Manager> B2B_TEAM = MANAGERS.stream().filter(Manager::b2b).toList();

    /** Per stage: chance to move on (from the last stage: to win), chance to be lost there, median stay. */
    private record Pipeline(String name, List<String> stages, double[] advance, double[] lose, double[] stayDays,
                            double medianAmount, long roundTo, int installments) {
    }

    private static final Pipeline SALES = new Pipeline("sales", List.of("new", "qualified", "proposal", "negotiation"),
            new double[]{0.85, 0.72, 0.62, 0.62}, new double[]{0.10, 0.20, 0.28, 0.33},
            new double[]{0.5, 3, 5, 6}, 60_000, 100, 2);
    private static final Pipeline B2B = new Pipeline("b2b",
            List.of("new", "discovery", "demo", "proposal", "negotiation", "contract"),
            new double[]{0.9, 0.76, 0.72, 0.66, 0.7, 0.86}, new double[]{0.07, 0.2, 0.2, 0.27, 0.25, 0.1},
            new double[]{1, 5, 7, 10, 12, 6}, 600_000, 1_000, 3);

    private static final List<String> DISQUALIFY_REASONS =
            List.of("spam", "no budget", "wrong region", "duplicate", "not reachable");
    private static final List<String> LOST_REASONS = List.of("price", "competitor", "no response", "timing",
            "not relevant");
    private static final double[] LOST_REASON_WEIGHTS = {0.32, 0.22, 0.2, 0.16, 0.1};
    private static final List<String> MEDIUMS = List.of("email", "sms", "messenger");
    private static final List<String> CATEGORIES = List.of("complaint", "question", "request");

    private final SplittableRandom random;
    private final double scale;
    private final long startEpoch;
    private final long endEpoch;
    private final ArrayDeque<ObjectNode> pending = new ArrayDeque<>();
    // customers known at the start of each day: repeat leads pick among customers at least 45 days old
    private final long[] customersAtDay = new long[DAYS];

    private int day = -1;
    private int leadsLeft;
    private int visitsLeft;
    private int ticketsLeft;
    private long events;
    private long leads;
    private long deals;
    private long customers;
    private long visitors;
    private long payments;
    private long calls;
    private long meetings;
    private long messages;
    private long tasks;
    private long tickets;

    public DemoGenerator(long seed, double scale, LocalDate end) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive");
        }
        this.random = new SplittableRandom(seed);
        this.scale = scale;
        this.endEpoch = end.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        this.startEpoch = endEpoch - DAYS * DAY;
    }

    /** The number of events a scale gives, within a few percent (measured over seeds). */
    public static long approximateEvents(double scale) {
        return Math.round(2_200 + 48_400 * scale);
    }

    @Override
    public boolean hasNext() {
        while (pending.isEmpty()) {
            if (!produce()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ObjectNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return pending.poll();
    }

    /**
     * Produces the next unit of history (a day's spend, a lead's story, a visit or a support ticket);
     * false at the end.
     */
    private boolean produce() {
        int units = leadsLeft + visitsLeft + ticketsLeft;
        if (units == 0) {
            if (day + 1 == DAYS) {
                return false;
            }
            day++;
            startDay();
            return true;
        }
        int unit = random.nextInt(units);
        if (unit < leadsLeft) {
            leadsLeft--;
            lead();
        } else if (unit < leadsLeft + visitsLeft) {
            visitsLeft--;
            visit();
        } else {
            ticketsLeft--;
            long at = startEpoch + day * DAY + leadSecondOfDay();
            String customer = customers > 0 && chance(0.85) ? "cust-" + (1 + random.nextLong(customers)) : null;
            ticket(at, customer, manager());
        }
        return true;
    }

    private void startDay() {
        customersAtDay[day] = customers;
        long dayStart = startEpoch + day * DAY;
        DayOfWeek weekday = LocalDate.ofEpochDay(dayStart / DAY).getDayOfWeek();
        boolean weekend = weekday == DayOfWeek.SATURDAY || weekday == DayOfWeek.SUNDAY;
        // the business grows a little over the half year, and is quieter at weekends
        double growth = 0.85 + 0.3 * day / DAYS;
        double weekly = weekend ? 0.55 : 1.18;
        for (var channel : CHANNELS) {
            if (channel.weekdaysOnly() && weekend) {
                continue;
            }
            if (channel.campaigns().isEmpty()) {
                spend(dayStart, channel, null, channel.dailySpend() * growth);
            } else {
                for (var campaign : channel.campaigns()) {
                    spend(dayStart, channel, campaign, channel.dailySpend() * growth / channel.campaigns().size());
                }
            }
        }
        leadsLeft = count(LEADS_PER_DAY * scale * growth * weekly);
        visitsLeft = count(VISITS_PER_DAY * scale * growth * weekly);
        ticketsLeft = count(TICKETS_PER_DAY * scale * growth * weekly);
    }

    private void spend(long dayStart, Channel channel, String campaign, double rubles) {
        var e = event("marketing.spend", dayStart, false);
        e.put("channel", channel.name());
        if (campaign != null) {
            e.put("campaign", campaign);
        }
        e.put("amount", money(rubles * scale * (0.8 + 0.4 * random.nextDouble())));
    }

    /** A visit by a new or returning visitor that does not turn into a lead. */
    private void visit() {
        long at = startEpoch + day * DAY + random.nextLong(DAY);
        String visitor = visitors > 100 && chance(0.3) ? "visitor-" + (1 + random.nextLong(visitors))
                : "visitor-" + (++visitors);
        var e = event("site.visit", at, false);
        e.put("visitorId", visitor);
        double r = random.nextDouble();
        Channel channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
        if (r < 0.45 && channel.utmSource() != null) {
            e.set("utm", utm(channel, pick(channel.campaigns())));
        } else if (r < 0.85) {
            e.put("channel", channel.name());
        }
    }

    private void lead() {
        String leadId = "lead-" + (++leads);
        long created = startEpoch + day * DAY + leadSecondOfDay();
        Manager manager = manager();
        Channel channel = channel();
        String customer = day >= 45 && customersAtDay[day - 45] > 0 && chance(0.08)
                ? "cust-" + (1 + random.nextLong(customersAtDay[day - 45])) : null;

        // the attributes are drawn first: the visit or call that brought the lead precedes lead.created
        var lead = JSON.objectNode();
        lead.put("leadId", leadId);
        boolean web = false;
        String tracking = null;
        if (channel != null) {
            String campaign = channel.campaigns().isEmpty() || chance(0.2) ? null : pick(channel.campaigns());
            double r = random.nextDouble();
            if (channel.trackingNumber() != null && r < channel.trackingShare()) {
                tracking = channel.trackingNumber();
                lead.put("trackingNumber", tracking);
            } else if (channel.utmSource() != null && r < channel.trackingShare() + 0.45) {
                lead.set("utm", utm(channel, campaign));
                web = true;
            } else {
                lead.put("channel", channel.name());
                if (campaign != null) {
                    lead.put("campaign", campaign);
                }
                if (channel.utmSource() != null && chance(0.3)) {
                    lead.set("utm", utm(channel, campaign));
                }
                web = !channel.name().equals("Radio") && !channel.name().equals("Referral");
            }
        }
        if (customer != null) {
            lead.put("customerId", customer);
        }
        boolean assigned = chance(0.96);
        if (assigned) {
            lead.put("managerId", manager.id());
        }

        if (web && chance(0.6)) {
            // the visit that brought the lead, and sometimes earlier ones by the same visitor
            String visitor = "visitor-" + (++visitors);
            for (int i = chance(0.3) ? 1 + random.nextInt(2) : 0; i > 0; i--) {
                visitBefore(created - i * (DAY + random.nextLong(3 * DAY)), visitor, lead, null);
            }
            visitBefore(created - 60 - random.nextLong(30 * 60), visitor, lead, leadId);
        }
        if (tracking != null) {
            var call = call("in", created, manager, leadId, null);
            call.put("trackingNumber", tracking);
        }
        event("lead.created", created, true).setAll(lead);

        double quality = channel == null ? 0.8 : channel.quality();
        long afterResponse = firstResponse(created, manager, leadId, assigned);
        long decided = afterResponse + random.nextLong(3 * DAY);
        double r = random.nextDouble();
        double qualify = Math.min(0.85, 0.5 * quality);
        if (r < qualify) {
            event("lead.qualified", decided, true).put("leadId", leadId);
            if (chance(0.85)) {
                deal(leadId, customer, manager, quality, decided + random.nextLong(2 * DAY));
            }
        } else if (r < 0.9) {
            var e = event("lead.disqualified", decided, true);
            e.put("leadId", leadId);
            if (chance(0.8)) {
                e.put("reason", pick(DISQUALIFY_REASONS));
            }
        }
    }

    private void visitBefore(long at, String visitor, ObjectNode lead, String leadId) {
        var e = event("site.visit", at, false);
        e.put("visitorId", visitor);
        if (lead.has("utm")) {
            e.set("utm", lead.get("utm").deepCopy());
        } else {
            e.put("channel", lead.get("channel").asText());
        }
        if (leadId != null) {
            e.put("leadId", leadId);
        }
    }

    /** The first outgoing contact (none for ~6% of leads) and a follow-up or two; returns when it was. */
    private long firstResponse(long created, Manager manager, String leadId, boolean assigned) {
        if (!assigned || chance(0.05)) {
            return created + random.nextLong(DAY);
        }
        long at = workingTime(created) + (long) (60 * lognormal(manager.responseMinutes(), 1.0));
        respond(at, manager, leadId);
        for (int i = random.nextInt(3); i > 0; i--) {
            at += HOUR + random.nextLong(2 * DAY);
            respond(at, manager, leadId);
        }
        return at;
    }

    private void respond(long at, Manager manager, String leadId) {
        double r = random.nextDouble();
        if (r < 0.6) {
            call("out", at, manager, leadId, null);
        } else if (r < 0.95) {
            message(at, manager, leadId, null);
        } else {
            meeting(at, manager, leadId, null);
        }
    }

    private void deal(String leadId, String customer, Manager manager, double quality, long created) {
        String dealId = "deal-" + (++deals);
        Pipeline pipeline = chance(customer != null ? 0.45 : 0.22) ? B2B : SALES;
        double estimate = lognormal(pipeline.medianAmount(), 0.6) * (customer != null ? 1.2 : 1.0);
        var e = event("deal.created", created, true);
        e.put("dealId", dealId);
        e.put("pipeline", pipeline.name());
        e.put("stage", pipeline.stages().get(0));
        // a repeat customer's deal is sometimes opened on the customer directly, without a lead
        if (customer == null || chance(0.7)) {
            e.put("leadId", leadId);
        }
        if (customer != null) {
            e.put("customerId", customer);
        }
        e.put("managerId", manager.id());
        if (chance(0.7)) {
            e.put("amount", money(round(estimate, pipeline.roundTo())));
        }

        Manager owner = manager;
        long at = created;
        if (pipeline == B2B && !manager.b2b() || chance(0.04)) {
            // b2b deals go to the b2b team; other reassignments cover vacations and overload
            do {
                owner = pipeline == B2B ? pick(B2B_TEAM) : manager();
            } while (owner == manager);
            at += HOUR + random.nextLong(2 * DAY);
            var re = event("deal.reassigned", at, true);
            re.put("dealId", dealId);
            re.put("managerId", owner.id());
        }
        double odds = Math.sqrt(Math.max(0.5, Math.min(1.5, quality * owner.skill())));
        int stage = 0;
        boolean steppedBack = false;
        while (true) {
            long stay = (long) (DAY * lognormal(pipeline.stayDays()[stage], 0.8)) + 600;
            double advance = Math.min(0.97, pipeline.advance()[stage] * odds);
            double lose = Math.min(pipeline.lose()[stage], 1 - advance);
            double r = random.nextDouble();
            if (r >= advance + lose) {
                // stalls: some work at first, then the deal sits open
                activities(at, at + stay, owner, dealId, pipeline.stages().get(stage), true);
                return;
            }
            activities(at, at + stay, owner, dealId, pipeline.stages().get(stage), false);
            at += stay;
            if (r >= advance) {
                lost(dealId, at, customer, owner, pipeline, estimate, stage);
                return;
            }
            if (stage == pipeline.stages().size() - 1) {
                won(dealId, at, customer, owner, pipeline, estimate);
                return;
            }
            int next = stage + 1;
            if (stage >= 2 && !steppedBack && chance(0.05)) {
                // the client wants the proposal reworked: one step back
                next = stage - 1;
                steppedBack = true;
            }
            stageChanged(dealId, at, pipeline, pipeline.stages().get(stage), pipeline.stages().get(next), owner);
            stage = next;
        }
    }

    private void stageChanged(String dealId, long at, Pipeline pipeline, String from, String to, Manager owner) {
        var e = event("deal.stage_changed", at, true);
        e.put("dealId", dealId);
        if (chance(0.8)) {
            e.put("pipeline", pipeline.name());
        }
        e.put("toStage", to);
        if (from != null && chance(0.9)) {
            e.put("fromStage", from);
        }
        if (chance(0.3)) {
            e.put("managerId", owner.id());
        }
    }

    /** Calls, messages, a meeting and a task while the deal stays in a stage. */
    private void activities(long from, long to, Manager owner, String dealId, String stage, boolean stalls) {
        long span = Math.max(1, to - from);
        for (int i = random.nextInt(stalls ? 2 : 4); i > 0; i--) {
            call("out", from + random.nextLong(span), owner, null, dealId);
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            message(from + random.nextLong(span), owner, null, dealId);
        }
        if (!stalls && (stage.equals("proposal") || stage.equals("demo") || stage.equals("negotiation"))
                && chance(0.6)) {
            meeting(from + random.nextLong(span), owner, null, dealId);
        }
        if (chance(0.7)) {
            task(from + random.nextLong(Math.min(span, 4 * HOUR)), owner, dealId, stalls ? 0.4 : 0.93);
        }
    }

    private void won(String dealId, long at, String customer, Manager owner, Pipeline pipeline, double estimate) {
        long amountCents = 100 * round(estimate * (0.85 + 0.25 * random.nextDouble()), pipeline.roundTo());
        var e = event("deal.won", at, true);
        e.put("dealId", dealId);
        e.put("amount", BigDecimal.valueOf(amountCents, 2));
        String payer = customer != null ? customer : "cust-" + (++customers);
        int parts = chance(0.7) ? 1 : 1 + random.nextInt(pipeline.installments());
        long paid = at;
        long firstPayment = 0;
        for (int i = 0; i < parts; i++) {
            paid += i == 0 ? random.nextLong(5 * DAY) : (25 + random.nextInt(10)) * DAY;
            firstPayment = i == 0 ? paid : firstPayment;
            long cents = i < parts - 1 ? amountCents / parts : amountCents - (parts - 1) * (amountCents / parts);
            payment(paid, payer, dealId, cents);
        }
        if (chance(0.35)) {
            // repeat purchases without a deal, attributed through the customer's first lead
            long when = firstPayment;
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                when += (20 + random.nextInt(55)) * DAY + random.nextLong(DAY);
                payment(when, payer, null, (long) (100 * lognormal(estimate * 0.3, 0.5)));
            }
        }
        if (chance(0.27)) {
            ticket(firstPayment + DAY + random.nextLong(40 * DAY), payer, owner);
        }
    }

    private void lost(String dealId, long at, String customer, Manager owner, Pipeline pipeline, double estimate,
                      int stage) {
        var e = event("deal.lost", at, true);
        e.put("dealId", dealId);
        if (chance(0.93)) {
            e.put("lostReason", LOST_REASONS.get(weighted(LOST_REASON_WEIGHTS)));
        }
        if (chance(0.03)) {
            // the client comes back: the deal reopens in the stage it was lost in, and is won
            long back = at + (10 + random.nextInt(30)) * DAY;
            stageChanged(dealId, back, pipeline, null, pipeline.stages().get(stage), owner);
            won(dealId, back + (3 + random.nextInt(12)) * DAY, customer, owner, pipeline, estimate);
        }
    }

    private void payment(long at, String customer, String dealId, long cents) {
        var e = event("payment.received", at, true);
        e.put("paymentId", "pay-" + (++payments));
        e.put("amount", BigDecimal.valueOf(cents, 2));
        e.put("customerId", customer);
        if (dealId != null) {
            e.put("dealId", dealId);
        }
    }

    private ObjectNode call(String direction, long at, Manager manager, String leadId, String dealId) {
        var e = event("call.logged", at, true);
        e.put("callId", "call-" + (++calls));
        e.put("direction", direction);
        boolean answered = direction.equals("in") || chance(0.7);
        e.put("answered", answered);
        e.put("durationSec", answered ? 20 + (int) lognormal(180, 0.8) : 0);
        e.put("managerId", manager.id());
        putLink(e, leadId, dealId);
        return e;
    }

    private void message(long at, Manager manager, String leadId, String dealId) {
        var e = event("message.sent", at, true);
        e.put("messageId", "msg-" + (++messages));
        e.put("managerId", manager.id());
        e.put("medium", pick(MEDIUMS));
        putLink(e, leadId, dealId);
    }

    private void meeting(long at, Manager manager, String leadId, String dealId) {
        var e = event("meeting.logged", at, true);
        e.put("meetingId", "meet-" + (++meetings));
        e.put("managerId", manager.id());
        putLink(e, leadId, dealId);
    }

    /** A task, done with probability {@code done}; an undone task with a due date ends up overdue. */
    private void task(long at, Manager manager, String dealId, double done) {
        String taskId = "task-" + (++tasks);
        long due = at + DAY + random.nextLong(3 * DAY);
        var e = event("task.created", at, true);
        e.put("taskId", taskId);
        e.put("managerId", manager.id());
        if (chance(0.9)) {
            e.put("dueAt", moscow(due));
        }
        e.put("dealId", dealId);
        if (chance(done)) {
            // most on time, some late
            long completed = chance(0.8) ? at + random.nextLong(due - at) : due + random.nextLong(3 * DAY);
            event("task.completed", completed, true).put("taskId", taskId);
        }
    }

    private void ticket(long at, String customer, Manager manager) {
        String ticketId = "ticket-" + (++tickets);
        int category = weighted(new double[]{0.25, 0.45, 0.3});
        var e = event("ticket.opened", at, true);
        e.put("ticketId", ticketId);
        if (customer != null) {
            e.put("customerId", customer);
        }
        e.put("category", CATEGORIES.get(category));
        if (chance(0.8)) {
            e.put("managerId", manager.id());
        }
        if (!chance(category == 0 ? 0.85 : 0.93)) {
            return;
        }
        double hours = lognormal(new double[]{30, 4, 24}[category], 0.9);
        long resolved = at + (long) (HOUR * hours);
        event("ticket.resolved", resolved, true).put("ticketId", ticketId);
        if (chance(0.55)) {
            // complaints and slow answers rate lower
            double mood = random.nextDouble() - (category == 0 ? 0.25 : 0) - (hours > 48 ? 0.2 : 0);
            int rating = mood < 0.05 ? 1 : mood < 0.12 ? 2 : mood < 0.25 ? 3 : mood < 0.55 ? 4 : 5;
            var rated = event("ticket.rated", resolved + HOUR / 2 + random.nextLong(2 * DAY), true);
            rated.put("ticketId", ticketId);
            rated.put("rating", rating);
        }
    }

    private static void putLink(ObjectNode e, String leadId, String dealId) {
        if (leadId != null) {
            e.put("leadId", leadId);
        }
        if (dealId != null) {
            e.put("dealId", dealId);
        }
    }

    private ObjectNode utm(Channel channel, String campaign) {
        var utm = JSON.objectNode();
        utm.put("source", channel.utmSource());
        utm.put("medium", channel.utmMedium());
        if (campaign != null) {
            utm.put("campaign", campaign);
        }
        return utm;
    }

    /**
     * A new event of the history, queued for output; one on or after the end is not part of it and
     * goes nowhere (it still draws the same random numbers, so what comes after does not change).
     */
    private ObjectNode event(String type, long at, boolean crm) {
        var e = JSON.objectNode();
        if (at < endEpoch) {
            e.put("eventId", "demo-" + (++events));
            e.put("type", type);
            e.put("occurredAt", crm ? moscow(at) : Instant.ofEpochSecond(at).toString());
            if (crm) {
                e.put("source", "amocrm");
            }
            pending.add(e);
        }
        return e;
    }

    private static String moscow(long at) {
        String utc = Instant.ofEpochSecond(at + MSK).toString();
        return utc.substring(0, utc.length() - 1) + "+03:00";
    }

    /** Seconds after 00:00 UTC: mostly Moscow office hours (08:00–21:00), some at night. */
    private long leadSecondOfDay() {
        long local = chance(0.88) ? 8 * HOUR + random.nextLong(13 * HOUR) : random.nextLong(DAY);
        return Math.floorMod(local - MSK, DAY);
    }

    /** The instant itself during Moscow office hours (09:00–21:00), else 09:00 of the next morning. */
    private static long workingTime(long at) {
        long local = Math.floorMod(at + MSK, DAY);
        if (local >= 9 * HOUR && local < 21 * HOUR) {
            return at;
        }
        return at - local + (local < 9 * HOUR ? 9 * HOUR : DAY + 9 * HOUR);
    }

    private Manager manager() {
        double total = 0;
        for (var m : MANAGERS) {
            total += m.fromDay() <= day ? m.weight() : 0;
        }
        double r = random.nextDouble() * total;
        for (var m : MANAGERS) {
            if (m.fromDay() <= day && (r -= m.weight()) < 0) {
                return m;
            }
        }
        return MANAGERS.get(0);
    }

    /** A lead's channel, or null (~6%) for one that arrives with no attribution at all. */
    private Channel channel() {
        double r = random.nextDouble();
        for (var c : CHANNELS) {
            if ((r -= c.leadShare()) < 0) {
                return c;
            }
        }
        return null;
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private <T> T pick(List<T> items) {
        return items.isEmpty() ? null : items.get(random.nextInt(items.size()));
    }

    private int weighted(double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            if ((r -= weights[i]) < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Box–Muller from the seeded generator, so the sequence depends on nothing but the seed. */
    private double gaussian() {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private double lognormal(double median, double sigma) {
        return median * Math.exp(sigma * gaussian());
    }

    /** A Poisson-like count with this mean (normal approximation above 30). */
    private int count(double mean) {
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        int k = 0;
        for (double p = random.nextDouble(), limit = Math.exp(-mean); p > limit; p *= random.nextDouble()) {
            k++;
        }
        return k;
    }

    private static long round(double amount, long step) {
        return Math.max(step, Math.round(amount / step) * step);
    }

    private static BigDecimal money(double rubles) {
        return BigDecimal.valueOf(Math.round(rubles * 100), 2);
    }

    /**
     * Writes the history without starting the service, one JSON array of up to {@code --batch} events per
     * line (with {@code --batch 1}: one event object per line, NDJSON).
     *
     * <pre>java -cp ... io.crmanalytics.demo.DemoGenerator [--seed 42] [--scale 1 | --events N]
     *     [--end 2026-01-01] [--batch 5000] [--out events.ndjson | -]</pre>
     * {@code --events N} picks a scale large enough and stops after exactly N events.
     */
    public static void main(String[] args) throws IOException {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("Expected --option value pairs");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        long limit = Long.parseLong(options.getOrDefault("events", "-1"));
        double scale = limit > 0 ? 1.1 * limit / approximateEvents(1)
                : Double.parseDouble(options.getOrDefault("scale", "1"));
        LocalDate end = LocalDate.parse(options.getOrDefault("end", LocalDate.now(ZoneOffset.UTC).toString()));
        int batch = Integer.parseInt(options.getOrDefault("batch", "5000"));
        String out = options.getOrDefault("out", "-");

        var mapper = new ObjectMapper();
        var generator = new DemoGenerator(seed, scale, end);
        long written = 0;
        try (OutputStream stream = new BufferedOutputStream(
                out.equals("-") ? System.out : Files.newOutputStream(Path.of(out)), 1 << 16)) {
            while (generator.hasNext() && (limit < 0 || written < limit)) {
                ArrayNode lines = JSON.arrayNode();
                while (generator.hasNext() && lines.size() < batch && (limit < 0 || written < limit)) {
                    lines.add(generator.next());
                    written++;
                }
                stream.write(mapper.writeValueAsBytes(batch == 1 ? lines.get(0) : lines));
                stream.write('\n');
            }
        }
        if (limit > 0 && written < limit) {
            throw new IllegalStateException("The history has only " + written + " events");
        }
        System.err.printf("demo: %d events (seed %d, scale %.3f, end %s)%n", written, seed, scale, end);
    }
}
