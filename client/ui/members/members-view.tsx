// The member list (active devices from the org log) and one member's page: roles, a direct
// message, and verification by safety number, QR code and camera scan.

import { createMemo, For, Show } from 'solid-js'
import { useApp } from '../app-context.tsx'
import { safetyNumber } from '../verification/safety-number.ts'
import { VerifyPanel } from '../verification/verify-panel.tsx'

export function MembersView() {
  const { org, i18n, verified } = useApp()
  const t = i18n.t
  return (
    <section class='page' aria-labelledby='members-title'>
      <header class='page-header'>
        <a href='#/' class='back'>
          <span aria-hidden='true'>‹</span> <span class='visually-hidden'>{t('navBack')}</span>
        </a>
        <h1 id='members-title'>{t('membersTitle')}</h1>
      </header>
      <Show when={org.members().length > 0} fallback={<p class='empty'>{t('membersEmpty')}</p>}>
        <ul class='member-list' data-testid='member-list'>
          <For each={org.members()}>
            {(m) => (
              <li class='member' data-testid='member'>
                <a href={`#/members/${m.device}`}>
                  <span class='member-name'>{m.displayName}</span>
                  <Show when={m.device === org.me}>
                    <span class='tag'>{t('thisDevice')}</span>
                  </Show>
                  <Show when={m.device !== org.me && verified.isVerified(m)}>
                    <span class='tag verified-tag' data-testid='verified-tag'>
                      <span aria-hidden='true'>✓</span> {t('verifiedTag')}
                    </span>
                  </Show>
                </a>
                <span class='member-roles'>{t('memberRoles', { roles: m.roles.join(', ') })}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  )
}

export function MemberView(props: { device: string }) {
  const app = useApp()
  const t = app.i18n.t
  const member = createMemo(() => app.org.members().find((m) => m.device === props.device))
  const number = createMemo(() => {
    const them = member()
    const me = app.org.self()
    return them && me && them.device !== me.device ? safetyNumber(me, them) : undefined
  })
  const startDirect = () => {
    const m = member()
    if (!m) return
    const key = app.channels.join(app.directChannel(m.device, m.displayName))
    app.nav.navigate(`#/c/${key}`)
  }
  return (
    <section class='page' aria-labelledby='member-title'>
      <header class='page-header'>
        <a href='#/members' class='back'>
          <span aria-hidden='true'>‹</span> <span class='visually-hidden'>{t('navBack')}</span>
        </a>
        <h1 id='member-title'>{member()?.displayName ?? props.device.slice(0, 8)}</h1>
      </header>
      <Show when={member()} fallback={<p class='empty'>{t('membersEmpty')}</p>}>
        {(m) => (
          <div class='stack'>
            <p>{t('memberRoles', { roles: m().roles.join(', ') })}</p>
            <Show when={m().device !== app.org.me}>
              <button type='button' onClick={startDirect}>{t('message')}</button>
            </Show>
            <Show when={number()}>
              {(digits) => (
                <VerifyPanel
                  peer={m()}
                  safetyNumber={digits()}
                  verified={app.verified}
                  t={t}
                />
              )}
            </Show>
          </div>
        )}
      </Show>
    </section>
  )
}
