import { admin } from "../contract.js"
import type { PreviewDayView } from "../adminViews.js"
import { t } from "../i18n/index.js"

/**
 * The next seven days' working hours of a calendar, one row a day ("Closed" on a day without
 * hours): the SLA editor's preview and an operator's shift preview alike.
 */
export const WorkingHoursPreview = (props: { readonly testId: string; readonly heading: string; readonly days: ReadonlyArray<PreviewDayView> }) => (
  <section data-testid={props.testId}>
    <h2>{props.heading}</h2>
    <table class="board-table">
      <tbody>
        {props.days.map((day) => (
          <tr data-testid={admin.testIds.previewDay}>
            <th scope="row">{day.date}</th>
            <td>{day.hours.length === 0 ? <span class="muted">{t("admin.sla.closed")}</span> : day.hours.join(", ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </section>
)
