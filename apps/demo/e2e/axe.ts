import AxeBuilder from '@axe-core/playwright'
import { expect, type Page, test } from '@playwright/test'

/**
 * Runs axe-core on the page as it is now and fails on any violation, naming each rule, its
 * impact and the elements it found, so a failure says what to fix without opening a report.
 */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  // A CSS transition (a progress bar, a hover tint) caught mid-way would be measured mid-colour.
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' })
  const { violations } = await new AxeBuilder({ page }).analyze()
  const report = violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(1).join(' ')}`)
        .join('\n')}`,
  )
  test.info().annotations.push({ type: 'axe', description: `${state}: ${violations.length} violations` })
  expect(report, `axe violations on ${state}`).toEqual([])
}
