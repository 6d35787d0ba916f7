// Top-level view: picks the screen from the route and the device's membership, with readable errors.

import { createResource, Match, Switch } from 'solid-js'
import type { Route } from './route.ts'
import type { ChannelStore } from './channel-store.ts'
import type { DeviceStore } from './device-store.ts'
import { ChannelView } from './channel-view.tsx'
import { JoinView } from './join-view.tsx'

export interface AppProps {
  route: Route
  device: DeviceStore
  open: (name: string, secret: Uint8Array) => Promise<ChannelStore>
  navigate: (hash: string) => void
}

export function App(props: AppProps) {
  const route = props.route
  const [store] = createResource(
    () => (route.kind === 'channel' && props.device.enrollment() ? route : undefined),
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
      <Match when={route.kind === 'join' && !props.device.enrollment() && route}>
        {(r) => (
          <JoinView
            invite={r().invite}
            device={props.device}
            onJoined={() => props.navigate('#/')}
          />
        )}
      </Match>
      <Match when={!props.device.enrollment()}>
        <main class='notice'>
          <h1>Conch</h1>
          <p>Open the invite link your administrator sent you to join your organisation.</p>
        </main>
      </Match>
      <Match when={route.kind !== 'channel'}>
        <main class='notice' data-testid='home'>
          <h1>You're in, {props.device.enrollment()!.displayName}</h1>
          <p>
            This device is approved. Open a channel link from your organisation to start chatting.
          </p>
        </main>
      </Match>
      <Match when={store.error}>
        <main class='notice' role='alert'>
          <h1>Conch could not open this channel</h1>
          <p>{String(store.error?.message ?? store.error)}</p>
        </main>
      </Match>
      <Match when={store()}>
        {(s) => <ChannelView name={(route as { name: string }).name} store={s()} />}
      </Match>
      <Match when>
        <main class='notice' aria-busy='true'>
          <p>Opening channel…</p>
        </main>
      </Match>
    </Switch>
  )
}
