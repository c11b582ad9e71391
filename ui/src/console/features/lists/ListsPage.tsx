import { ErrorState, Loading } from '@/components/States';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Select } from '@/components/ui/select';
import { toast } from '@/components/ui/use-toast';
import type { CategoryUse, ChannelKind } from '../../api/types';
import { useChangeFailed } from '../../components/useChangeFailed';
import { useHqLists } from '../../hooks/useHqLists';
import {
  useAddCategory,
  useAddChannel,
  useChangeCategory,
  useChangeChannel,
  useSetAllowNewCategories,
} from '../../hooks/useListActions';
import { fill, useI18n } from '../../i18n';
import { canManageLists } from '../../session/roles';
import { useUser } from '../../session/SessionGate';
import { AddForm } from './AddForm';
import { ItemRow } from './ItemRow';
import { ListTable } from './ListTable';

const USES: CategoryUse[] = ['IN', 'OUT', 'BOTH'];
const KINDS: ChannelKind[] = ['cash', 'non_cash'];

/** The switch: may a branch type a category that is not in the list? */
function AllowNewSwitch({ value, editable }: { value: boolean; editable: boolean }) {
  const { m } = useI18n();
  const set = useSetAllowNewCategories();
  const failed = useChangeFailed();
  return (
    <label className="flex items-start gap-3 text-sm pointer-coarse:min-h-10">
      <button
        type="button"
        role="switch"
        aria-checked={value}
        disabled={!editable || set.isPending}
        onClick={() => set.mutate(!value, { onError: failed })}
        className={`relative mt-0.5 inline-flex h-6 w-11 shrink-0 rounded-full transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-60 ${value ? 'bg-primary' : 'bg-input'}`}
        aria-describedby="allow-new-hint"
      >
        <span
          className={`absolute top-0.5 size-5 rounded-full bg-white shadow transition-transform ${value ? 'translate-x-5' : 'translate-x-0.5'}`}
        />
      </button>
      <span>
        <span className="font-medium">{m.lists.allowNew}</span>
        <span id="allow-new-hint" className="block text-xs text-muted-foreground">
          {value ? m.lists.allowNewOn : m.lists.allowNewOff}
        </span>
      </span>
    </label>
  );
}

/** Daftar: the categories and payment channels every branch picks from. The owner and finance
 * add, rename and (de)activate them; nothing is ever deleted. */
export function ListsPage() {
  const { m } = useI18n();
  const user = useUser();
  const editable = canManageLists(user.role);
  const lists = useHqLists();
  const addCategory = useAddCategory();
  const changeCategory = useChangeCategory();
  const addChannel = useAddChannel();
  const changeChannel = useChangeChannel();
  const failed = useChangeFailed();
  const saved = (name: string) => toast({ title: fill(m.lists.saved, { name }), variant: 'success' });

  if (lists.isPending) return <Loading />;
  if (lists.isError) return <ErrorState error={lists.error} onRetry={() => void lists.refetch()} />;
  const { categories, channels, allow_new_categories: allowNew } = lists.data;
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{m.lists.title}</h1>
        {editable ? null : (
          <p className="text-sm text-muted-foreground" data-testid="read-only">
            {m.lists.readOnly}
          </p>
        )}
      </div>
      <Card>
        <CardHeader>
          <CardTitle>{m.lists.categories}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <AllowNewSwitch value={allowNew} editable={editable} />
          {editable ? (
            <AddForm<CategoryUse>
              label={m.lists.addCategory}
              choiceLabel={m.lists.use}
              choices={USES.map((u) => ({ value: u, label: m.lists.uses[u] }))}
              initial="OUT"
              busy={addCategory.isPending}
              onAdd={(name, type, done) =>
                addCategory.mutate(
                  { name, type },
                  {
                    onSuccess: () => {
                      done();
                      saved(name);
                    },
                    onError: failed,
                  },
                )
              }
            />
          ) : null}
          <ListTable caption={m.lists.categories} whatLabel={m.lists.use} editable={editable}>
            {categories.map((c) => (
              <ItemRow
                key={c.id}
                name={c.name}
                active={c.active}
                editable={editable}
                busy={changeCategory.isPending}
                what={
                  editable ? (
                    <Select
                      className="h-9 w-40 pointer-coarse:h-10"
                      aria-label={`${m.lists.use}: ${c.name}`}
                      value={c.type}
                      onChange={(e) =>
                        changeCategory.mutate(
                          { id: c.id, change: { type: e.target.value as CategoryUse } },
                          { onSuccess: () => saved(c.name), onError: failed },
                        )
                      }
                    >
                      {USES.map((u) => (
                        <option key={u} value={u}>
                          {m.lists.uses[u]}
                        </option>
                      ))}
                    </Select>
                  ) : (
                    m.lists.uses[c.type]
                  )
                }
                onRename={(name, done) =>
                  changeCategory.mutate(
                    { id: c.id, change: { name } },
                    {
                      onSuccess: () => {
                        done();
                        saved(name);
                      },
                      onError: failed,
                    },
                  )
                }
                onActive={(active) =>
                  changeCategory.mutate(
                    { id: c.id, change: { active } },
                    { onSuccess: () => saved(c.name), onError: failed },
                  )
                }
              />
            ))}
          </ListTable>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{m.lists.channels}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          {editable ? (
            <AddForm<ChannelKind>
              label={m.lists.addChannel}
              choiceLabel={m.lists.kind}
              choices={KINDS.map((k) => ({ value: k, label: m.lists.kinds[k] }))}
              initial="non_cash"
              busy={addChannel.isPending}
              onAdd={(name, kind, done) =>
                addChannel.mutate(
                  { name, kind },
                  {
                    onSuccess: () => {
                      done();
                      saved(name);
                    },
                    onError: failed,
                  },
                )
              }
            />
          ) : null}
          <ListTable caption={m.lists.channels} whatLabel={m.lists.kind} editable={editable}>
            {channels.map((c) => (
              <ItemRow
                key={c.id}
                name={c.name}
                active={c.active}
                editable={editable}
                busy={changeChannel.isPending}
                what={m.lists.kinds[c.kind]}
                onRename={(name, done) =>
                  changeChannel.mutate(
                    { id: c.id, change: { name } },
                    {
                      onSuccess: () => {
                        done();
                        saved(name);
                      },
                      onError: failed,
                    },
                  )
                }
                onActive={(active) =>
                  changeChannel.mutate(
                    { id: c.id, change: { active } },
                    { onSuccess: () => saved(c.name), onError: failed },
                  )
                }
              />
            ))}
          </ListTable>
        </CardContent>
      </Card>
    </div>
  );
}
