/** "15550123456" → "+1 555 012 3456", "919876543210" → "+91 98765 43210"; other numbers as "+" and digits. */
export function formatPhone(digits: string): string {
  if (/^1\d{10}$/.test(digits)) return `+1 ${digits.slice(1, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`
  if (/^91\d{10}$/.test(digits)) return `+91 ${digits.slice(2, 7)} ${digits.slice(7)}`
  if (/^44\d{10}$/.test(digits)) return `+44 ${digits.slice(2, 6)} ${digits.slice(6)}`
  return `+${digits}`
}
