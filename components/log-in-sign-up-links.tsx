import Link from 'next/link'

/** "Log in" and "Get started" in the header of the public pages (the landing page, /docs). */
export function LogInSignUpLinks({ logInHref = '/login' }: { logInHref?: string }) {
  return (
    <>
      <Link href={logInHref} className="rounded-md px-3 py-2 text-slate-700 hover:text-slate-900">
        Log in
      </Link>
      <Link href="/signup" className="whitespace-nowrap rounded-md bg-brand-600 px-3 py-2 font-medium text-white shadow-sm hover:bg-brand-700">
        Get started
      </Link>
    </>
  )
}
