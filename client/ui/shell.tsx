// The app shell once this device is joined and unlocked: navigation (channels with unread counts,
// DMs, members, search, settings, sync status) beside the screen the route picks.

import { base64url } from '../../crypto/codec/bytes.ts'
import { createEffect, For, lazy, Match, Show, Suspense, Switch } from 'solid-js'
import { useApp } from './app-context.tsx'
import type { ChannelEntry } from './channels/channels-store.ts'
import { ChannelSigil } from './channels/channel-sigil.tsx'

// Screens load on first use (the home screen needs none of them, nor markdown, QR or search).
const ChannelView = lazy(() =>
  import('./channel-view.tsx').then((m) => ({ default: m.ChannelView }))
)
const PendingChannelView = lazy(() =>
  import('./channel-view.tsx').then((m) => ({ default: m.PendingChannelView }))
)
const MembersView = lazy(() =>
  import('./members/members-view.tsx').then((m) => ({ default: m.MembersView }))
)
const MemberView = lazy(() =>
  import('./members/members-view.tsx').then((m) => ({ default: m.MemberView }))
)
const SearchView = lazy(() =>
  import('./search/search-view.tsx').then((m) => ({ default: m.SearchView }))
)
const SettingsView = lazy(() =>
  import('./settings/settings-view.tsx').then((m) => ({ default: m.SettingsView }))
)

function ChannelLink(props: { entry: ChannelEntry; current: boolean }) {
  const { channels, i18n } = useApp()
  const unread = () => channels.unread(props.entry.key)
  return (
    <li>
      <a
        href={`#/c/${props.entry.key}`}
        aria-current={props.current ? 'page' : undefined}
        data-testid='channel-link'
        data-kind={props.entry.kind}
      >
        <span class='channel-name'>
          <ChannelSigil entry={props.entry} />
          {props.entry.name}
        </span>
        <Show when={unread() > 0}>
          <span class='badge' data-testid='unread-badge'>
            <span aria-hidden='true'>{unread()}</span>
            <span class='visually-hidden'>{i18n.t('unread', { count: unread() })}</span>
          </span>
        </Show>
      </a>
    </li>
  )
}

function SyncStatus() {
  const { connection, i18n } = useApp()
  const label = () =>
    connection.status() === 'open'
      ? i18n.t('syncOnline')
      : connection.status() === 'closed' || connection.status() === 'refused'
      ? i18n.t('syncOffline')
      : i18n.t('syncConnecting')
  return (
    <p class='sync-status' role='status' data-testid='sync-status' data-state={connection.status()}>
      <span class='dot' aria-hidden='true' />
      {label()}
    </p>
  )
}

export function Shell() {
  const app = useApp()
  const t = app.i18n.t
  const route = () => app.nav.route()
  const currentKey = () => {
    const r = route()
    return r.kind === 'open' ? r.key : undefined
  }
  const entry = () => app.channels.entries().find((e) => e.key === currentKey())
  const channelEntries = () => app.channels.entries().filter((e) => e.kind !== 'dm')
  const directEntries = () => app.channels.entries().filter((e) => e.kind === 'dm')
  createEffect(() => {
    document.documentElement.lang = app.i18n.locale()
  })
  // A channel link joins the channel, then leaves the secret out of the address bar and history.
  createEffect(() => {
    const r = route()
    if (r.kind !== 'channel') return
    const key = app.channels.join({ kind: 'link', name: r.name, secret: base64url(r.secret) })
    location.replace(`#/c/${key}`)
  })
  return (
    <div class='shell' data-screen={route().kind === 'home' ? 'nav' : 'pane'}>
      <nav class='sidebar' aria-label={t('navMain')}>
        <div class='sidebar-head'>
          <span class='brand'>{t('appName')}</span>
          <SyncStatus />
        </div>
        <ul class='nav-links'>
          <li>
            <a href='#/search' aria-current={route().kind === 'search' ? 'page' : undefined}>
              {t('navSearch')}
            </a>
          </li>
          <li>
            <a href='#/members' aria-current={route().kind === 'members' ? 'page' : undefined}>
              {t('navMembers')}
            </a>
          </li>
          <li>
            <a href='#/settings' aria-current={route().kind === 'settings' ? 'page' : undefined}>
              {t('navSettings')}
            </a>
          </li>
        </ul>
        <h2 id='channels-heading'>{t('navChannels')}</h2>
        <Show when={channelEntries().length > 0} fallback={<p class='hint'>{t('noChannels')}</p>}>
          <ul class='channel-links' aria-labelledby='channels-heading'>
            <For each={channelEntries()}>
              {(e) => <ChannelLink entry={e} current={e.key === currentKey()} />}
            </For>
          </ul>
        </Show>
        <h2 id='direct-heading'>{t('navDirect')}</h2>
        <Show when={directEntries().length > 0} fallback={<p class='hint'>{t('noDirect')}</p>}>
          <ul class='channel-links' aria-labelledby='direct-heading'>
            <For each={directEntries()}>
              {(e) => <ChannelLink entry={e} current={e.key === currentKey()} />}
            </For>
          </ul>
        </Show>
      </nav>
      <main class='pane'>
        <Suspense fallback={<p class='page' aria-busy='true'>{t('opening')}</p>}>
          <Switch
            fallback={
              <section class='page' data-testid='home'>
                <h1>{t('homeTitle', { name: app.device.enrollment()?.displayName ?? '' })}</h1>
                <p>{t('homeBody')}</p>
              </section>
            }
          >
            <Match when={route().kind === 'open' && entry()}>
              {(e) => (
                <Show
                  when={app.channels.store(e().key)}
                  keyed
                  fallback={
                    <Show
                      when={e().kind === 'org'}
                      fallback={
                        <Show
                          when={app.channels.failure(e().key)}
                          fallback={<p class='page' aria-busy='true'>{t('opening')}</p>}
                        >
                          {(f) => (
                            <section class='page' role='alert'>
                              <h1>{t('cantOpenChannel')}</h1>
                              <p>{f()}</p>
                            </section>
                          )}
                        </Show>
                      }
                    >
                      <PendingChannelView entry={e()} />
                    </Show>
                  }
                >
                  {(store) => <ChannelView entry={e()} store={store} />}
                </Show>
              )}
            </Match>
            <Match when={route().kind === 'open'}>
              <p class='page' aria-busy='true'>{t('opening')}</p>
            </Match>
            <Match when={route().kind === 'members'}>
              <MembersView />
            </Match>
            <Match
              when={(() => {
                const r = route()
                return r.kind === 'member' ? r.device : undefined
              })()}
            >
              {(device) => <MemberView device={device()} />}
            </Match>
            <Match when={route().kind === 'search'}>
              <SearchView />
            </Match>
            <Match when={route().kind === 'settings'}>
              <SettingsView />
            </Match>
          </Switch>
        </Suspense>
      </main>
    </div>
  )
}
