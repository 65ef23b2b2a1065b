import { StripeProviderService } from "./stripe/service"
import { YocoProviderService } from "./yoco/service"

/** This package's provider classes. */
export const PACKAGE_PROVIDERS = [StripeProviderService, YocoProviderService] as const

/**
 * The request headers that carry a signature of this package's PSPs. Once verified they are of no use
 * to anyone, and a signature kept in a trace or a log is a forgery kit for its body: they never leave the edge.
 */
export const PACKAGE_SIGNATURE_HEADERS: readonly string[] = PACKAGE_PROVIDERS.flatMap((provider) =>
  provider.signatureHeaders.map((name) => name.toLowerCase()),
)
