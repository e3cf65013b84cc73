// A stacked daily bar chart drawn as server-rendered SVG: no chart library, no client JS. Colours are
// Tailwind fill classes, so it follows the light and dark palettes; the SVG scales to its box (390 px
// phones included), and a visually hidden table gives screen readers the same numbers.

export type ChartSeries = { key: string; label: string; fill: string; swatch: string }
export type ChartDay = { day: string; values: Record<string, number> }

const WIDTH = 600
const HEIGHT = 160
const LEFT = 32
const BOTTOM = 18

/** The axis top: a round number whose half (the middle gridline's label) is a whole number too. */
function niceMax(value: number): number {
  if (value <= 4) return 4
  const magnitude = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 4, 6, 8, 10]) if (value <= step * magnitude) return step * magnitude
  return 10 * magnitude
}

export function UsageChart({ title, series, days, footer }: { title: string; series: ChartSeries[]; days: ChartDay[]; footer?: React.ReactNode }) {
  const totals = series.map((item) => days.reduce((sum, day) => sum + (day.values[item.key] ?? 0), 0))
  const max = niceMax(Math.max(0, ...days.map((day) => series.reduce((sum, item) => sum + (day.values[item.key] ?? 0), 0))))
  const slot = (WIDTH - LEFT) / Math.max(1, days.length)
  const barWidth = Math.max(2, slot * 0.7)
  const plotHeight = HEIGHT - BOTTOM
  const y = (value: number) => plotHeight - (value / max) * (plotHeight - 6)
  return (
    <figure className="relative min-w-0 overflow-hidden rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 sm:p-5" aria-label={title}>
      <figcaption className="text-sm font-semibold text-slate-900">{title}</figcaption>
      <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-sm">
        {series.map((item, index) => (
          <div key={item.key} className="flex items-center gap-1.5">
            <span aria-hidden className={`size-2.5 rounded-sm ${item.swatch}`} />
            <dt className="text-slate-600">{item.label}</dt>
            <dd data-testid={`total-${item.key}`} className="font-semibold tabular-nums text-slate-900">
              {totals[index].toLocaleString('en')}
            </dd>
          </div>
        ))}
      </dl>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="mt-3 h-auto w-full" role="img" aria-hidden>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line x1={LEFT} x2={WIDTH} y1={y(max * fraction)} y2={y(max * fraction)} className="stroke-slate-200" strokeWidth={1} />
            <text x={LEFT - 4} y={y(max * fraction) + 4} textAnchor="end" className="fill-slate-500 text-[10px]">
              {Math.round(max * fraction)}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          let base = 0
          const x = LEFT + index * slot + (slot - barWidth) / 2
          return (
            <g key={day.day}>
              {series.map((item) => {
                const value = day.values[item.key] ?? 0
                if (value === 0) return null
                const top = y(base + value)
                const height = y(base) - top
                base += value
                return (
                  <rect key={item.key} x={x} y={top} width={barWidth} height={Math.max(1, height)} className={item.fill}>
                    <title>{`${day.day}: ${value} ${item.label.toLowerCase()}`}</title>
                  </rect>
                )
              })}
              {(index === days.length - 1 || (index % 7 === 0 && index < days.length - 4)) && (
                // The last day's label ends at the chart's edge instead of being cut by it.
                <text
                  x={index === days.length - 1 ? x + barWidth : x + barWidth / 2}
                  y={HEIGHT - 4}
                  textAnchor={index === days.length - 1 ? 'end' : 'middle'}
                  className="fill-slate-500 text-[10px]"
                >
                  {day.day.slice(5)}
                </text>
              )}
            </g>
          )
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}, per day (UTC)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {series.map((item) => (
              <th key={item.key} scope="col">
                {item.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days
            .filter((day) => series.some((item) => day.values[item.key]))
            .map((day) => (
              <tr key={day.day}>
                <th scope="row">{day.day}</th>
                {series.map((item) => (
                  <td key={item.key}>{day.values[item.key] ?? 0}</td>
                ))}
              </tr>
            ))}
        </tbody>
      </table>
      {footer && <div className="mt-2 text-sm text-slate-600">{footer}</div>}
    </figure>
  )
}
