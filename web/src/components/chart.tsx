import { useEffect, useRef, type ReactNode } from 'react'
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'
import type { EChartsCoreOption } from 'echarts/core'

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, AriaComponent, SVGRenderer])

/** The page's font (ECharts measures text with it, so it must be a real family list, not `inherit`). */
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"

/** Colours with at least 3:1 contrast on white, told apart by more than hue (series also differ in pattern or marker). */
export const PALETTE = ['#1f5fbf', '#b3261e', '#1a7f37', '#8a5a00', '#6f42c1', '#0b7285', '#c2255c', '#495057']

/**
 * An ECharts chart (SVG renderer) in a box of fixed height, so the page does not move when data
 * arrives. `summary` is read to screen readers (the chart itself is an image to them); every chart
 * also has its numbers as a table beside it.
 */
export function Chart({ option, summary, height = 260 }: { option: EChartsCoreOption; summary: string; height?: number }): ReactNode {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const c = echarts.init(el, null, { renderer: 'svg' })
    chart.current = c
    const resize = new ResizeObserver(() => c.resize())
    resize.observe(el)
    return () => {
      resize.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])
  useEffect(() => {
    chart.current?.setOption({ animation: false, color: PALETTE, aria: { enabled: false }, textStyle: { fontFamily: FONT, fontSize: 12, color: '#24292f' }, ...option }, true)
  }, [option])
  return (
    <figure className="chart" style={{ height }}>
      <div ref={box} className="chart-canvas" role="img" aria-label={summary} style={{ height }} />
    </figure>
  )
}
