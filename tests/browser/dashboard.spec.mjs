// Drives the moderator dashboard in Debian's chromium, as a moderator would: ask for a sign-in link, open the link
// the bot sent by DM (read by the calling xunit test from the test homeserver and written to our stdin), list the
// cases, open one, acknowledge it, look at its figures (SVG charts) and download the transparency report; then the same
// pages on a 390 px wide phone, where nothing may scroll sideways; sign out. Saves a screenshot of each page (the ones
// kept in docs/screenshots).
//
//   node tests/browser/dashboard.spec.mjs <relay base URL> <matrix ID> <case ID> <screenshot dir>
//
// Prints "ASKED" when the link was asked for, then reads the link from stdin; exits 0 when every step held.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const [base, matrixId, caseId, shots] = process.argv.slice(2);
if (!base || !matrixId || !caseId || !shots) {
  console.error("usage: dashboard.spec.mjs <relay base URL> <matrix ID> <case ID> <screenshot dir>");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage", "--disable-gpu"],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  // A blocked stylesheet or script (CSP) or any script error shows up here.
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  let step = 0;
  const shot = async (name) => page.screenshot({ path: join(shots, `${String(++step).padStart(2, "0")}-${name}.png`), fullPage: true });

  await page.goto(base + "/_relay/");
  check(new URL(page.url()).pathname === "/_relay/sign-in", "not sent to sign-in: " + page.url());
  // Keyboard first: the skip link is the first stop.
  await page.keyboard.press("Tab");
  check((await page.evaluate(() => document.activeElement?.textContent)) === "Skip to content", "the skip link is not the first tab stop");
  check(await page.evaluate(() => getComputedStyle(document.body).fontFamily.includes("system-ui")), "the stylesheet did not load");
  await shot("sign-in");
  await page.getByLabel("Matrix ID").fill(matrixId);
  await page.getByRole("button", { name: "Send me a sign-in link" }).click();
  await page.getByRole("heading", { name: "Check your Matrix messages" }).waitFor();
  await shot("check-messages");

  console.log("ASKED");
  const { value: link, done } = await lines.next();
  check(!done && link, "no link on stdin");

  await page.goto(link.trim());
  await page.getByRole("heading", { name: "Sign in to Relay" }).waitFor();
  await shot("confirm-link");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Cases" }).waitFor();
  check(new URL(page.url()).pathname === "/_relay/cases", "not on the case list: " + page.url());
  // Rooms by name with the ID on hover, what was reported and by whom it was sent, a preview of the first reason.
  const roomA = page.locator("table span.room", { hasText: "General chat" }).first();
  check(await roomA.count() === 1, "the case list does not name room A");
  check((await roomA.getAttribute("title"))?.startsWith("!"), "room A's name does not carry its ID on hover");
  check(await page.getByRole("cell", { name: /Message sent by @spammer:/ }).count() >= 1, "the list does not say what was reported and by whom");
  check(await page.getByRole("cell", { name: "spam links in room A" }).count() === 1, "the list does not preview the first reason");
  await shot("cases");

  const short = caseId.slice(-8);
  await page.getByRole("link", { name: short, exact: true }).click();
  await page.getByRole("heading", { name: "Case " + short }).waitFor();
  check(await page.getByRole("heading", { name: "Audit trail" }).count() === 1, "no audit trail on the case page");
  for (const action of ["Acknowledge", "Redact the event", "Kick the user", "Ban the user", "Escalate", "Dismiss", "Resolve"]) {
    check(await page.getByRole("button", { name: action, exact: true }).count() === 1, "the case page offers no " + action);
  }
  check(await page.getByRole("button", { name: /policy/i }).count() === 0, "a policy ban is offered without a policy room");
  await shot("case");

  await page.getByRole("button", { name: "Acknowledge", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Done." }).waitFor();
  check(await page.locator("dd", { hasText: /^Acknowledged$/ }).count() === 1, "the case does not read Acknowledged");
  check(await page.getByRole("cell", { name: matrixId + " acknowledged the case" }).count() === 1, "the audit trail does not say who acknowledged");
  check(await page.getByRole("button", { name: "Acknowledge", exact: true }).count() === 0, "Acknowledge is still offered once done");
  await shot("acknowledged");

  await page.getByRole("link", { name: "Figures" }).click();
  await page.getByRole("heading", { name: "Figures", level: 1 }).waitFor();
  // Real charts: inline SVG images named by their title, each with bars, and the numbers in a table beside them.
  const perDay = page.getByRole("img", { name: "Reports per day" });
  check(await perDay.count() === 1, "no reports-per-day chart (svg role=img)");
  check(await page.locator("svg.chart").count() >= 3, "fewer than three svg charts on the Figures page");
  check(await perDay.locator("rect").count() === 30, "the reports-per-day chart has no bar for each of the 30 days");
  check(await page.getByRole("table", { name: "Time to acknowledge and to close" }).getByRole("cell", { name: "1", exact: true }).count() >= 1,
    "the acknowledged case is not counted in the time-to-acknowledge table");
  await page.getByText("Cases by category as a table").click();
  await shot("figures");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
  check(/^relay-transparency-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/.test(download.suggestedFilename()),
    "the transparency download is named " + download.suggestedFilename());

  // The same pages on a phone: everything readable without scrolling sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [name, path] of [["cases-390px", "/_relay/cases"], ["case-390px", "/_relay/cases/" + caseId], ["figures-390px", "/_relay/figures"]]) {
    await page.goto(base + path);
    await shot(name);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    const widest = await page.evaluate(() => [...document.querySelectorAll("main *")]
      .filter((e) => e.getBoundingClientRect().right > 391).map((e) => e.tagName + "." + e.className).slice(0, 5).join(", "));
    check(wide <= 390, `${path} is ${wide} px wide at 390 px (${widest})`);
  }
  await page.setViewportSize({ width: 1200, height: 900 });

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "You are signed out" }).waitFor();
  await shot("signed-out");
  await page.goto(base + "/_relay/cases");
  check(new URL(page.url()).pathname === "/_relay/sign-in", "still signed in after signing out");

  check(problems.length === 0, problems.join("\n"));
  console.log("OK");
} catch (e) {
  console.error(e?.stack ?? String(e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
process.exit(process.exitCode ?? 0);
