/**
 * Medusa's local (in-memory) event bus, unchanged except that an event emitted with a delay is
 * held past the benchmark instead of 5 s: what the payment module's `webhook_delay` option would
 * do, were it read in 2.21.2 (the built-in webhook route looks for it on the module service, where
 * it is never set). The ack runs use it so that both routes pay the same emit (one timer per
 * event) while the `payment.webhook_received` subscriber runs they queue fall outside the
 * measurement; the store is then restarted, which drops them.
 */
const local = require("@medusajs/event-bus-local")

/** setTimeout's largest delay (about 24.8 days). */
const HOLD_MS = 2 ** 31 - 1

/**
 * With `BENCH_DROP_DELAYED_EVENTS=1`, a delayed event is dropped instead: the retention runs send
 * hundreds of thousands of acks to one start, and as many held timers, each keeping its event,
 * grow the heap until the store's major collections pause it for up to a second and a half.
 */
const DROP = process.env.BENCH_DROP_DELAYED_EVENTS === "1"

class HoldingEventBusService extends local.service {
  /** Emits as the local bus does; a delayed event's delay becomes HOLD_MS, or it is dropped. */
  async emit(eventsData, options = {}) {
    if (DROP && options && options.delay) {
      return
    }
    return super.emit(eventsData, options && options.delay ? { ...options, delay: HOLD_MS } : options)
  }
}

module.exports = {
  default: { service: HoldingEventBusService, loaders: local.loaders },
  service: HoldingEventBusService,
  loaders: local.loaders,
}
