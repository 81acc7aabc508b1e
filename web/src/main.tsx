// The Monipaikka dashboard: sign-in, language, navigation and the pages.
import React, { useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { Button, Heading, Paragraph, SkipLink, TextInput } from "suomifi-ui-components";
import { currentSession, signIn, signOut, type SessionInfo } from "./api";
import { Loading } from "./components";
import { LANGS, LocaleContext, STRINGS, initialLang, makeLocale, type Lang } from "./i18n";
import { href, navigate, parseRoute, useRoute, type Route } from "./route";
import "./app.css";

// Each page is its own chunk, fetched when first shown: opening one page
// loads none of the others' code.
type PageProps = { route: Route; kiosk?: boolean };
type PageComponent = React.ComponentType<PageProps>;
const PAGE_CODE: Record<string, () => Promise<PageComponent>> = {
  portfolio: () => import("./pages/Portfolio").then((m) => m.Portfolio),
  site: () => import("./pages/Site").then((m) => m.Site),
  floor: () => import("./pages/FloorPlan").then((m) => m.FloorPlan),
  live: () => import("./pages/Live").then((m) => m.Live as PageComponent),
  consolidation: () => import("./pages/Consolidation").then((m) => m.Consolidation),
  hr: () => import("./pages/Hr").then((m) => m.Hr),
  planning: () => import("./pages/Planning").then((m) => m.Planning),
  bookings: () => import("./pages/Bookings").then((m) => m.Bookings),
};
const pageCode = new Map<string, Promise<PageComponent>>();
function loadPage(name: string): Promise<PageComponent> {
  let code = pageCode.get(name);
  if (!code) {
    code = PAGE_CODE[name]();
    pageCode.set(name, code);
  }
  return code;
}
// By the address's first segment (a Map: no inherited names).
const PAGES = new Map(
  Object.keys(PAGE_CODE).map((name) => [name, React.lazy(() => loadPage(name).then((component) => ({ default: component })))]),
);
// The address's page starts loading with the app, not at its first render.
const firstPage = parseRoute(window.location.hash).page;
if (PAGES.has(firstPage)) loadPage(firstPage).catch(() => undefined);

// The session check starts with the script, before the first render.
const sessionCheck = currentSession();

function SignIn(props: { onSignedIn: (s: SessionInfo) => void }) {
  const { t } = React.useContext(LocaleContext);
  const [token, setToken] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="page-title" className="sign-in">
      <Heading variant="h1" id="page-title">{t.signInTitle}</Heading>
      <Paragraph>{t.signInHelp}</Paragraph>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError("");
          try {
            const session = await signIn(token.trim());
            setToken("");
            props.onSignedIn(session);
          } catch (err) {
            setError((err as Error).message || t.error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <TextInput
          id="token"
          type="password"
          autoComplete="off"
          labelText={t.token}
          value={token}
          onChange={(v) => setToken(String(v ?? ""))}
          status={error ? "error" : "default"}
          statusText={error}
          fullWidth
        />
        <Button type="submit" id="sign-in" disabled={busy || !token.trim()}>{t.signIn}</Button>
      </form>
    </section>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang());
  const locale = useMemo(() => makeLocale(lang), [lang]);
  const t = locale.t;
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const route = useRoute();
  useEffect(() => {
    sessionCheck.then(setSession, () => setSession(null));
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    window.localStorage.setItem("monipaikka.lang", lang);
  }, [lang]);
  useEffect(() => {
    if (!session) return;
    if (!route.page) {
      if (session.role === "display") navigate(href("live", [session.sites[0] ?? ""], { kiosk: "1" }));
      else if (session.role === "hr") navigate(href("hr"));
      else navigate(href("portfolio"));
    }
  }, [session, route.page]);
  useEffect(() => {
    const titles: Record<string, string> = {
      portfolio: t.portfolio, site: t.site, floor: t.floorPlan, live: t.live, consolidation: t.consolidation, hr: t.hr,
      planning: t.planning, bookings: t.bookings,
    };
    document.title = `${session ? titles[route.page] ?? t.appName : t.signInTitle} – ${t.appName}`;
  }, [route.page, session, t]);

  const display = session?.role === "display";
  const kiosk = display || route.query.get("kiosk") === "1";
  const navItems: [string, string][] = display
    ? session!.sites.map((s) => ["live/" + s, `${t.live}: ${s}`] as [string, string])
    : ([
        ["portfolio", t.portfolio],
        ["site", t.site],
        ["floor", t.floorPlan],
        ["live", t.live],
        ["consolidation", t.consolidation],
        ["planning", t.planning],
        ["bookings", t.bookings],
        ["hr", t.hr],
      ] as [string, string][]).filter(([to]) =>
        // What the role may open; the server decides on every call anyway.
        session?.role === "hr" ? to === "hr" : session?.role === "admin" ? true : to !== "hr",
      );
  // While the session check is under way, the address's page is already
  // shown: its data calls go out with the cookie at once instead of after
  // the check (they only read; without a session they fail and the
  // sign-in replaces the page).
  const Page = session !== null ? PAGES.get(route.page) : undefined;
  const page = Page ? <Page route={route} kiosk={route.page === "live" ? display : undefined} /> : null;
  return (
    <LocaleContext.Provider value={locale}>
      <SkipLink href="#main">{t.skip}</SkipLink>
      <header className={kiosk ? "app-header kiosk-header" : "app-header"}>
        <span className="brand">{t.appName}</span>
        <div className="lang" role="group" aria-label={t.language}>
          {LANGS.map((l) => (
            <button
              key={l}
              type="button"
              lang={l}
              className={l === lang ? "lang-button current" : "lang-button"}
              aria-pressed={l === lang}
              onClick={() => setLang(l)}
            >
              {STRINGS[l].langName}
            </button>
          ))}
        </div>
        {session ? (
          <div className="who">
            <span>{t.signedInAs}: {session.tokenName || "–"} ({t.role} {session.role})</span>
            <Button
              variant="secondary"
              id="sign-out"
              onClick={async () => {
                await signOut();
                setSession(null);
                navigate("#/");
              }}
            >
              {t.signOut}
            </Button>
          </div>
        ) : null}
      </header>
      {session && !kiosk ? (
        <nav aria-label={t.nav} className="main-nav">
          <ul>
            {navItems.map(([to, label]) => (
              <li key={to}>
                <a href={`#/${to}`} aria-current={route.page === to.split("/")[0] ? "page" : undefined}>{label}</a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main" tabIndex={-1}>
        {/* A new address is a new page: its form starts from the address's choices. */}
        {session === null ? <SignIn onSignedIn={setSession} /> : (
          <React.Suspense fallback={<Loading />}>
            <React.Fragment key={window.location.hash}>{page}</React.Fragment>
          </React.Suspense>
        )}
      </main>
    </LocaleContext.Provider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
