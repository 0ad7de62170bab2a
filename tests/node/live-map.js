// live-map.js - examples/map/index.html in headless Chromium, served by
// the nginx example (PROXY_PORT) in front of a georoomd with --retain chat
// (GEOROOM_SOCKET): locations sent before the page opens are drawn at
// once, from the retained positions, and a new one as it comes.  The
// screenshot goes to $SHOT.
"use strict";
const fs = require("fs");
const t = require("./lib");
const { launch, openTab } = require("./chromium");

// A position as geoput announces it: the room contract's chat with the
// stored Feature.
const position = (id, lon, lat, name) => ({
  op: "emit", room: String(id), event: "chat",
  data: { userId: 1, roomName: String(id), message: { type: "Feature", id,
    geometry: { type: "Point", coordinates: [lon, lat] }, properties: { name } } },
});

t.run(async () => {
  // Before anyone looks: kept by --retain.
  await t.controlMany([position(1, 13.3777, 52.5163, "Brandenburg Gate"),
    position(2, 13.4050, 52.5200, "Alexanderplatz")]);
  const url = `http://127.0.0.1:${process.env.PROXY_PORT}/map/?rooms=1,2,3`;
  const b = launch();
  try {
    const { sessionId, js } = await openTab(b, url);
    await t.eventually(async () => (await js("window.georoom && window.georoom.joined.length")) === 3,
      15000, "the page, served by nginx, joins rooms 1, 2 and 3 through /chat/");
    await t.eventually(async () => (await js("document.querySelectorAll('circle').length")) === 2,
      5000, "it draws the two positions sent before it opened, from the retained ones");
    await t.control(position(3, 13.3500, 52.5145, "Tiergarten"));
    await t.eventually(async () => (await js("document.querySelectorAll('circle').length")) === 3,
      5000, "and a third as it is sent");
    const labels = await js("[...document.querySelectorAll('text')].map((e) => e.textContent).sort()");
    t.equal(labels, ["Alexanderplatz 52.5200, 13.4050", "Brandenburg Gate 52.5163, 13.3777",
      "Tiergarten 52.5145, 13.3500"], "each location is labelled with its name and position");
    const inside = await js(`[...document.querySelectorAll('circle')].every((c) =>
      +c.getAttribute('cx') >= 0 && +c.getAttribute('cx') <= 800 &&
      +c.getAttribute('cy') >= 0 && +c.getAttribute('cy') <= 560)`);
    t.check(inside, "every position fits in the drawing");
    const shot = await b.send("Page.captureScreenshot", { format: "png" }, sessionId);
    fs.writeFileSync(process.env.SHOT, Buffer.from(shot.data, "base64"));
    t.check(fs.statSync(process.env.SHOT).size > 1000, "a screenshot of the map is kept in the test's directory");
    await b.send("Browser.close").catch(() => {});
  } catch (e) {
    console.log(`# chromium: ${b.stderr().split("\n").slice(-5).join(" | ")}`);
    throw e;
  } finally {
    await t.withTimeout(b.exited, 5000, "chromium exits").catch(() => b.proc.kill("SIGKILL"));
  }
});
