/** Geometry shared by every chart so the charts of a page line up. Pixels in the SVG viewBox. */
export const CHART_WIDTH = 640
export const PLOT_HEIGHT = 220
export const MARGIN = { top: 14, right: 20, bottom: 44, left: 64 } as const
/** Height of one legend row below the plot. */
export const LEGEND_ROW_HEIGHT = 20
/** Width reserved for one legend entry (swatch + label). */
export const LEGEND_ITEM_WIDTH = 150
/** Legend labels longer than this are shortened; the full text stays in a tooltip. */
export const LEGEND_LABEL_MAX_CHARS = 20

/** Plot area of a chart, the rectangle inside the axes. */
export interface PlotBox {
  left: number
  top: number
  right: number
  bottom: number
}

/** The standard plot area of a chart with `leftMargin` room for the y tick labels. */
export function plotBox(leftMargin: number = MARGIN.left): PlotBox {
  return { left: leftMargin, top: MARGIN.top, right: CHART_WIDTH - MARGIN.right, bottom: MARGIN.top + PLOT_HEIGHT }
}
