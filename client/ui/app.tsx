// Top-level view: picks the screen from the route and shows readable errors.

import { createResource, Match, Switch } from 'solid-js'
import type { Route } from './route.ts'
import type { ChannelStore } from './channel-store.ts'
import { ChannelView } from './channel-view.tsx'

export function App(
  props: { route: Route; open: (name: string, secret: Uint8Array) => Promise<ChannelStore> },
) {
  const route = props.route
  const [store] = createResource(
    () => (route.kind === 'channel' ? route : undefined),
    (r) => props.open(r.name, r.secret),
  )
  return (
    <Switch>
      <Match when={route.kind === 'invalid' && route}>
        {(r) => (
          <main class='notice' role='alert'>
            <h1>Can't open this link</h1>
            <p>{r().reason}</p>
          </main>
        )}
      </Match>
      <Match when={route.kind === 'home'}>
        <main class='notice'>
          <h1>Conch</h1>
          <p>
            Open the invite link your administrator sent you to join your organisation's channels.
          </p>
        </main>
      </Match>
      <Match when={store.error}>
        <main class='notice' role='alert'>
          <h1>Conch could not open this channel</h1>
          <p>{String(store.error?.message ?? store.error)}</p>
        </main>
      </Match>
      <Match when={route.kind === 'channel' && store()}>
        {(s) => <ChannelView name={(route as { name: string }).name} store={s()} />}
      </Match>
      <Match when={route.kind === 'channel'}>
        <main class='notice' aria-busy='true'>
          <p>Opening channel…</p>
        </main>
      </Match>
    </Switch>
  )
}
