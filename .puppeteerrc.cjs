// Puppeteer's own Chrome download cannot reach its host on many machines and costs ~150 MB per
// install; the WhatsApp adapter uses the system Chromium instead (CHROMIUM_PATH).
module.exports = { skipDownload: true };
