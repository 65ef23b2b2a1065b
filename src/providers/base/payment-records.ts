import type { BigNumberInput } from "@medusajs/framework/types"

/** A Capture or Refund as Medusa's payment module stores it: the amount in any of Medusa's forms. */
type AmountRow = {
  id: string
  amount?: BigNumberInput | null
  raw_amount?: BigNumberInput | null
  payment_id?: string | null
  payment?: { id?: string } | null
}

/** The part of a Medusa internal service (`captureService`, `refundService`, `paymentService`) read here. */
type InternalReader<T> = {
  retrieve(id: string, config?: { select?: string[]; relations?: string[] }): Promise<T>
  list(filters: Record<string, unknown>, config?: { select?: string[]; relations?: string[] }): Promise<T[]>
}

/**
 * What the payment module's container holds beside the provider (Medusa 2.21 registers its internal
 * services there, and hands that container to each provider as its cradle).
 */
export type PaymentModuleCradle = {
  captureService?: InternalReader<AmountRow>
  refundService?: InternalReader<AmountRow & { note?: string | null }>
  paymentService?: InternalReader<{ id: string; data?: Record<string, unknown> | null }>
}

/** A capture or refund Medusa committed before it called the provider. */
export type MedusaMoneyRecord = { id: string; amount: BigNumberInput; payment_id: string }

/** Reads `key` of an awilix cradle without throwing for a name it does not hold (a provider built outside Medusa, in a unit test). */
function optional<K extends keyof PaymentModuleCradle>(cradle: object, key: K): PaymentModuleCradle[K] | undefined {
  try {
    const value: unknown = Reflect.get(cradle, key)
    return typeof value === "object" && value !== null && "retrieve" in value && "list" in value
      ? (value as PaymentModuleCradle[K])
      : undefined
  } catch {
    return undefined
  }
}

function recordOf(row: AmountRow | undefined): MedusaMoneyRecord | undefined {
  const amount = row?.raw_amount ?? row?.amount
  const paymentId = row?.payment_id ?? row?.payment?.id
  return row && amount !== undefined && amount !== null && paymentId ? { id: row.id, amount, payment_id: paymentId } : undefined
}

/**
 * Medusa's own records of a payment, as its payment module committed them before calling the provider.
 * Medusa 2.21 creates and commits a Capture (or Refund) row with its amount, then calls the provider
 * with only the payment's data and that row's id as `idempotency_key`: no amount, no note. Reading the
 * row is how a provider captures exactly what Medusa books, and tells a refund Medusa is only recording
 * (made at the PSP already) from one it must make. Absent services (a provider built outside Medusa)
 * read as nothing known.
 */
export class MedusaPaymentRecords {
  constructor(private readonly cradle: object) {}

  /** True when the module's records can be read (always, inside Medusa's payment module). */
  get available(): boolean {
    return !!optional(this.cradle, "captureService") && !!optional(this.cradle, "refundService")
  }

  /** The capture `id` (the provider call's idempotency key), with its amount and payment. */
  async capture(id: string | undefined): Promise<MedusaMoneyRecord | undefined> {
    const service = optional(this.cradle, "captureService")
    if (!id || !service) {
      return undefined
    }
    const [row] = await service.list({ id }, { select: ["id", "amount", "raw_amount", "payment_id"] })
    return recordOf(row)
  }

  /** Every capture Medusa holds for the payment (the one being made included). */
  async captures(paymentId: string): Promise<MedusaMoneyRecord[]> {
    const service = optional(this.cradle, "captureService")
    const rows = service ? await service.list({ payment_id: paymentId }, { select: ["id", "amount", "raw_amount", "payment_id"] }) : []
    return rows.flatMap((row) => recordOf(row) ?? [])
  }

  /** The refund `id` (the provider call's idempotency key), with its amount, payment and note. */
  async refund(id: string | undefined): Promise<(MedusaMoneyRecord & { note: string | null }) | undefined> {
    const service = optional(this.cradle, "refundService")
    if (!id || !service) {
      return undefined
    }
    const [row] = await service.list({ id }, { select: ["id", "amount", "raw_amount", "payment_id", "note"] })
    const record = recordOf(row)
    return record ? { ...record, note: row?.note ?? null } : undefined
  }

  /**
   * The payment's provider data as committed now. Medusa passes the provider the copy it read when
   * the call began, and writes back what the provider returns: data built on that copy would undo
   * whatever was written meanwhile (another refund's entry, a webhook's status).
   */
  async paymentData(paymentId: string): Promise<Record<string, unknown> | undefined> {
    const service = optional(this.cradle, "paymentService")
    if (!service) {
      return undefined
    }
    const [row] = await service.list({ id: paymentId }, { select: ["id", "data"] })
    return row?.data ?? undefined
  }
}
