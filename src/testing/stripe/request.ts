/** The API request that caused a change, as Stripe reports it in `event.request` (null for customer/dashboard actions). */
export type RequestRef = { id: string | null; idempotency_key: string | null }

/** No request: the change was made by the customer, the bank or the dashboard (a test-side control). */
export const NO_REQUEST: RequestRef = { id: null, idempotency_key: null }
