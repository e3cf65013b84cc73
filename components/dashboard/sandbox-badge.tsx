/** Marks a sandbox instance wherever instances are listed or shown: it talks to a simulated WhatsApp. */
export function SandboxBadge() {
  return (
    <span
      title="Sandbox instance: connected to a simulated WhatsApp, never to real phones"
      className="relative z-10 ml-2 inline-flex items-center rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-inset ring-amber-600/20"
    >
      Sandbox
    </span>
  )
}
