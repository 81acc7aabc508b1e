// The early data calls (early.ts) of the page the address names, sent before
// the app has loaded. Only pages whose first view waits on heavy calls.
import { sendEarly } from "./early";
import { portfolioCalls, portfolioChoices } from "./pages/portfolioQuery";

const [path, query] = window.location.hash.replace(/^#\/?/, "").split("?", 2);
const page = path.split("/")[0];
if (page === "portfolio") sendEarly(portfolioCalls(portfolioChoices(new URLSearchParams(query || ""))));
