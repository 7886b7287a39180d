// A real Matrix client reporting: matrix-js-sdk's reportEvent / reportRoom, as Element calls them.
//   node report.mjs BASE_URL USER_ID  event ROOM_ID EVENT_ID SCORE REASON
//   node report.mjs BASE_URL USER_ID  room  ROOM_ID REASON
// The access token comes from MATRIX_ACCESS_TOKEN (never on the command line). Prints the answer as JSON,
// or the Matrix error ({"errcode", "httpStatus"}) and exits 1.
import { createClient } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";

logger.disableAll();
const [baseUrl, userId, kind, roomId, ...rest] = process.argv.slice(2);
const client = createClient({ baseUrl, userId, accessToken: process.env.MATRIX_ACCESS_TOKEN });
try {
  const answer = kind === "event"
    ? await client.reportEvent(roomId, rest[0], Number(rest[1]), rest[2])
    : await client.reportRoom(roomId, rest[0]);
  console.log(JSON.stringify(answer));
} catch (e) {
  console.log(JSON.stringify({ errcode: e.errcode, httpStatus: e.httpStatus, message: e.message }));
  process.exit(1);
}
