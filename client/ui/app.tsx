// Top-level view: the route and the device's state pick the screen — a broken link, joining,
// the lock screen, or the app shell (whose stores are built only once unlocked).

import { type Accessor, createResource, Match, Show, Switch } from 'solid-js'
import { AppProvider, type AppStores } from './app-context.tsx'
import type { DeviceStore } from './device-store.ts'
import type { I18nStore } from './i18n/i18n.ts'
import { JoinView } from './join-view.tsx'
import type { LockStore } from './lock/lock-store.ts'
import { LockView } from './lock/lock-view.tsx'
import type { Route } from './route.ts'
import { Shell } from './shell.tsx'

export interface AppProps {
  route: Accessor<Route>
  device: DeviceStore
  lock: LockStore
  i18n: I18nStore
  navigate: (hash: string) => void
  /** Builds every store of the shell (called once: joined and unlocked). */
  boot: () => Promise<AppStores>
}

function Booted(props: { boot: () => Promise<AppStores>; t: I18nStore['t'] }) {
  const [stores] = createResource(() => props.boot())
  return (
    <Switch
      fallback={
        <main class='notice' aria-busy='true'>
          <p>{props.t('opening')}</p>
        </main>
      }
    >
      <Match when={stores.error}>
        <main class='notice' role='alert'>
          <h1>{props.t('cantOpenChannel')}</h1>
          <p>{String(stores.error?.message ?? stores.error)}</p>
        </main>
      </Match>
      <Match when={stores()}>
        {(s) => (
          <AppProvider stores={s()}>
            <Shell />
          </AppProvider>
        )}
      </Match>
    </Switch>
  )
}

export function App(props: AppProps) {
  const t = props.i18n.t
  const invalid = () => {
    const r = props.route()
    return r.kind === 'invalid' ? r : undefined
  }
  const joinRoute = () => {
    const r = props.route()
    return r.kind === 'join' && !props.device.enrollment() ? r : undefined
  }
  return (
    <Switch>
      <Match when={invalid()}>
        {(r) => (
          <main class='notice' role='alert'>
            <h1>{t('cantOpenLink')}</h1>
            <p>{t(r().reason)}</p>
          </main>
        )}
      </Match>
      <Match when={joinRoute()}>
        {(r) => (
          <JoinView
            invite={r().invite}
            device={props.device}
            t={t}
            onJoined={() => props.navigate('#/')}
          />
        )}
      </Match>
      <Match when={!props.device.enrollment()}>
        <main class='notice'>
          <h1>{t('appName')}</h1>
          <p>{t('notJoined')}</p>
        </main>
      </Match>
      <Match when={props.lock.state() !== 'unlocked'}>
        <LockView lock={props.lock} t={t} />
      </Match>
      <Match when>
        <Show when={props.lock.state() === 'unlocked'}>
          <Booted boot={props.boot} t={t} />
        </Show>
      </Match>
    </Switch>
  )
}
